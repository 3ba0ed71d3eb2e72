package dev.relay.engine.upgrade;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.Epochs;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import dev.relay.engine.stream.OpenMessages;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The new release's {@link EventLog} while old processes still run (rolling upgrade from the
 * partitioned layout, {@code RELAY_UPGRADE_PARTITIONS}): every event appended to the wrapped
 * per-room log is also appended to its room's old partition stream, so gateways of the old release,
 * which read only partitions, deliver it too. See {@code docs/upgrade-partitions.md}.
 *
 * <p>The partition entry is written by the old release's own append script ({@code
 * legacy-append.lua}, unchanged): same fields {@code ep r t x [tp] e}, the partition's epoch kept
 * or renewed exactly as before, the old idempotency key {@code relay:{p<N>}:nonce:<room>:<nonce>}
 * set, and its envelope the one the room stored (same {@code publishedAt}; the id differs, being
 * the partition's). One field more, {@code src = rooms}, tells {@link PartitionBridge} not to copy
 * the entry back; old readers ignore unknown fields.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>An append succeeds only once the event is stored in its room and in its partition. If the
 *       room append succeeds and the mirror write fails, the append fails with {@link
 *       EngineUnavailableException} (the publisher answers 503 and retries), because answering
 *       success would leave old gateways silently without the event. The retry with the same nonce
 *       is a duplicate in the room and writes the partition entry then: a draft with a nonce is
 *       mirrored even when the room reports a duplicate, and the old script's nonce check makes
 *       that a no-op when the first mirror write did land. A draft without a nonce has no such
 *       protection anywhere in Relay: its retry may store it twice, in the room and the partition.
 *   <li>A duplicate's envelope is not known here (the room answers none): its partition entry, when
 *       one has to be written, carries the draft re-encoded with {@code publishedAt} = now.
 *   <li>Order: each partition write is sent, on one pipelined connection, from the completion of
 *       its room append; so when the wrapped log completes a room's appends in the room's order (as
 *       {@code RedisEventLog}, one pipelined connection, and {@code MemoryEventLog} do), the room's
 *       partition entries follow the same order. An append completes only after its partition entry
 *       is stored, so an event answered before another was published precedes it in both layouts.
 *   <li>The room and the partition are two commands, not one script: on a Redis Cluster their keys
 *       are in different slots.
 * </ul>
 *
 * <p>Reads ({@link #replay}, {@link #openFeed}) and everything else go to the wrapped log. Thread
 * safe, never blocks. {@link #close()} closes the wrapped log, not {@code redis}, which the caller
 * owns.
 */
public final class LegacyMirror implements EventLog {

  private static final RedisScript APPEND =
      RedisScript.load(LegacyMirror.class, "legacy-append.lua");
  private static final String ID_PREFIX = "{\"v\":1,\"id\":\"";

  private final EventLog rooms;
  private final RedisConnections redis;
  private final PartitionLayout layout;
  private final Duration idempotencyWindow;

  /**
   * @param rooms the new release's log, whose appends are mirrored
   * @param redis connections to the Redis (or Cluster) both releases share; owned by the caller
   * @param layout the old release's partitions
   * @param idempotencyWindow how long the old nonce keys live (the old release's setting, 24 h by
   *     default)
   */
  public LegacyMirror(
      EventLog rooms, RedisConnections redis, PartitionLayout layout, Duration idempotencyWindow) {
    if (idempotencyWindow.toSeconds() < 1) {
      throw new IllegalArgumentException("idempotencyWindow must be at least 1 second");
    }
    this.rooms = rooms;
    this.redis = redis;
    this.layout = layout;
    this.idempotencyWindow = idempotencyWindow;
  }

  /** The wrapped log: what a {@link PartitionBridge} in the same process appends to. */
  public EventLog rooms() {
    return rooms;
  }

  @Override
  public CompletionStage<Appended> append(EventDraft draft) {
    return appendAll(List.of(draft)).thenApply(all -> all.get(0));
  }

  @Override
  public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
    if (drafts.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return rooms
        .appendAll(drafts)
        .thenCompose(
            appended ->
                redis.call(
                    "mirror to partitions",
                    c -> {
                      List<CompletableFuture<?>> writes = new ArrayList<>(drafts.size());
                      for (int i = 0; i < drafts.size(); i++) {
                        EventDraft draft = drafts.get(i);
                        Appended result = appended.get(i);
                        if (!result.isRejected()
                            && (!result.duplicate() || draft.nonce() != null)) {
                          writes.add(mirror(c, draft, result).toCompletableFuture());
                        }
                      }
                      return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                          .thenApply(done -> appended);
                    }));
  }

  /** The wrapped log's room bucket: the partition layout had no room limit of its own. */
  @Override
  public CompletionStage<RateDecision> takeRoomToken(String room, Limit limit) {
    return rooms.takeRoomToken(room, limit);
  }

  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    return rooms.replay(room, since, maxEvents);
  }

  @Override
  public CompletionStage<History> history(String room, int limit, EventId before) {
    return rooms.history(room, limit, before);
  }

  @Override
  public CompletionStage<OpenMessages> openMessages(String room) {
    return rooms.openMessages(room);
  }

  @Override
  public Feed openFeed(FeedListener listener) {
    return rooms.openFeed(listener);
  }

  @Override
  public CompletionStage<Void> ping() {
    return rooms.ping();
  }

  @Override
  public String name() {
    return rooms.name();
  }

  @Override
  public Duration retention() {
    return rooms.retention();
  }

  @Override
  public void close() {
    rooms.close();
  }

  private CompletionStage<List<Object>> mirror(
      RedisClusterAsyncCommands<String, String> c, EventDraft draft, Appended appended) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    int partition = layout.partitionOf(draft.room());
    String[] keys =
        draft.nonce() == null
            ? new String[] {layout.streamKey(partition), layout.epochKey(partition)}
            : new String[] {
              layout.streamKey(partition),
              layout.epochKey(partition),
              layout.nonceKey(draft.room(), draft.nonce())
            };
    List<String> args = new ArrayList<>(16);
    args.add(Epochs.random());
    args.add(Long.toString(Math.max(0, now.toEpochMilli() - retention().toMillis())));
    args.add(Long.toString(idempotencyWindow.toSeconds()));
    args.addAll(List.of(PartitionLayout.ROOM, draft.room(), PartitionLayout.TYPE, draft.type()));
    args.addAll(List.of(PartitionLayout.VOLATILE, EventType.isVolatile(draft.type()) ? "1" : "0"));
    if (draft.traceparent() != null) {
      args.addAll(List.of(PartitionLayout.TRACEPARENT, draft.traceparent()));
    }
    args.addAll(List.of(PartitionLayout.ENVELOPE, storedEnvelope(draft, appended, now)));
    args.addAll(List.of(PartitionLayout.SOURCE, PartitionLayout.FROM_ROOMS));
    return APPEND.run(c, ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
  }

  /**
   * The envelope without its id, as the old release stored it: the room's stored envelope minus its
   * id, or for a duplicate (whose envelope the room does not return) the draft encoded now.
   */
  static String storedEnvelope(EventDraft draft, Appended appended, Instant now) {
    String full = appended.envelopeJson();
    if (full != null) {
      String prefix = ID_PREFIX + appended.id() + "\",";
      if (full.startsWith(prefix)) {
        return full.substring(prefix.length());
      }
    }
    return EnvelopeCodec.encodeWithoutId(
        draft.room(),
        draft.type(),
        draft.payloadJson(),
        draft.issuedAt(),
        now,
        draft.nonce(),
        draft.actor());
  }
}
