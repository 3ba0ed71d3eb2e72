package dev.relay.engine.upgrade;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.engine.Epochs;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A process of the partitioned release (commit 13bbfcc), as far as the upgrade tests need one: it
 * appends exactly as that release's {@code RedisEventLog.appendWith} did, by running that release's
 * {@code append.lua} (a verbatim copy in test resources, {@code append-13bbfcc.lua}) with the same
 * keys and arguments, and reads partition entries back as its readers did ({@code toEvent}).
 */
final class OldRelease {

  static final Duration RETENTION = Duration.ofMinutes(5);
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
  private static final String SCRIPT = load("append-13bbfcc.lua");

  private final RedisClusterCommands<String, String> redis;
  private final PartitionLayout layout;

  OldRelease(RedisClusterCommands<String, String> redis, PartitionLayout layout) {
    this.redis = redis;
    this.layout = layout;
  }

  /** An append's answer in the old release: the partition event id and whether it was a dup. */
  record OldAppended(EventId id, boolean duplicate) {}

  /** An event as an old gateway read it: its old id and full envelope. */
  record OldEvent(
      EventId id, String room, String type, String envelope, Map<String, String> body) {}

  OldAppended append(
      String room,
      String type,
      String payloadJson,
      String nonce,
      Instant issuedAt,
      String actor,
      String traceparent) {
    int partition = layout.partitionOf(room);
    String[] keys =
        nonce == null
            ? new String[] {layout.streamKey(partition), layout.epochKey(partition)}
            : new String[] {
              layout.streamKey(partition), layout.epochKey(partition), layout.nonceKey(room, nonce)
            };
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String envelope =
        EnvelopeCodec.encodeWithoutId(room, type, payloadJson, issuedAt, now, nonce, actor);
    List<String> args = new ArrayList<>();
    args.add(Epochs.random());
    args.add(Long.toString(Math.max(0, now.toEpochMilli() - RETENTION.toMillis())));
    args.add(Long.toString(IDEMPOTENCY_WINDOW.toSeconds()));
    args.addAll(List.of("r", room, "t", type, "x", EventType.isVolatile(type) ? "1" : "0"));
    if (traceparent != null) {
      args.addAll(List.of("tp", traceparent));
    }
    args.addAll(List.of("e", envelope));
    List<Object> reply =
        redis.eval(SCRIPT, ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
    return new OldAppended(
        EventId.ofStreamId((String) reply.get(0), (String) reply.get(1)), "1".equals(reply.get(2)));
  }

  OldAppended append(String room, String type, String payloadJson, String nonce) {
    return append(room, type, payloadJson, nonce, null, null, null);
  }

  /** Every entry of the room's partition, read as an old gateway's reader did. */
  List<OldEvent> partitionOf(String room) {
    List<OldEvent> events = new ArrayList<>();
    for (StreamMessage<String, String> m :
        redis.xrange(layout.streamKey(layout.partitionOf(room)), Range.create("-", "+"))) {
      Map<String, String> body = m.getBody();
      EventId id = EventId.ofStreamId(m.getId(), body.get("ep"));
      events.add(
          new OldEvent(
              id,
              body.get("r"),
              body.get("t"),
              EnvelopeCodec.withId(body.get("e"), id.toString()),
              body));
    }
    return events;
  }

  private static String load(String name) {
    try (InputStream in = OldRelease.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
