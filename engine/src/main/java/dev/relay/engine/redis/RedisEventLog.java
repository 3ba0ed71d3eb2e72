package dev.relay.engine.redis;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.Epochs;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.TruncatedPartition;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventLog} on Redis Streams (Redis 6.2 or later, standalone or Cluster), through Lettuce's
 * asynchronous API: no method blocks its caller.
 *
 * <p>Each append is one Lua script on the room's partition ({@code append.lua}): idempotency check,
 * epoch, {@code XADD} with approximate {@code MINID} trimming, and the nonce record, as one atomic
 * step. Reads are one blocking {@code XREAD} over every partition on a dedicated connection ({@link
 * MultiStreamReader}), or on a Redis Cluster one per partition ({@link FanOutReader}). Replay is
 * delegated to {@link RedisReplay}, which proves completeness or refuses, and checking a reader's
 * positions after a failure to {@link RedisTruncationCheck}. When Redis is unreachable every call
 * fails within the command timeout (at once when the connection is known to be down) with {@link
 * dev.relay.engine.EngineUnavailableException}; calls succeed again once Redis is back. See {@code
 * docs/engine.md} for the layout.
 */
public final class RedisEventLog implements EventLog {

  static final String ROOM = "r";
  static final String TYPE = "t";
  static final String VOLATILE = "x";
  static final String EPOCH = "ep";
  static final String TRACEPARENT = "tp";
  static final String ENVELOPE = "e";

  private static final Logger LOG = LoggerFactory.getLogger(RedisEventLog.class);
  private static final String APPEND_SCRIPT = loadScript("append.lua");

  private final RedisEngineSettings settings;
  private final RedisKeyLayout layout;
  private final RedisConnections redis;
  private final RedisReplay replayer;
  private final RedisTruncationCheck truncationCheck;
  private final String appendSha;
  private final PartitionReader reader;

  /**
   * Connects lazily: construction does not fail when Redis is down; the first calls do, with {@link
   * dev.relay.engine.EngineUnavailableException}, until it is reachable.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}
   */
  public RedisEventLog(String url, RedisEngineSettings settings) {
    this.settings = settings;
    this.layout = new RedisKeyLayout(settings.partitions());
    this.redis = new RedisConnections(url, settings.cluster(), settings.commandTimeout());
    this.replayer = new RedisReplay(layout, settings.replayScanLimit());
    this.truncationCheck = new RedisTruncationCheck(layout, settings.retention());
    this.appendSha = sha1Hex(APPEND_SCRIPT);
    this.reader =
        redis.cluster()
            ? new FanOutReader(redis, layout, settings.commandTimeout())
            : new MultiStreamReader(redis, layout);
  }

  /**
   * Starts opening the command connection now, without waiting, so that a service's first request
   * (often its readiness probe) does not pay for the connect: about a third of a second of a cold
   * start. A failure is not reported here; the next call tries again and reports it.
   */
  public void connectInBackground() {
    redis.commands();
  }

  /** Connection health counters of this log's Redis client. */
  public RedisStats redisStats() {
    return redis.stats();
  }

  @Override
  public CompletionStage<Appended> append(EventDraft draft) {
    return redis.call("append", c -> appendWith(c, draft, true));
  }

  /**
   * Pipelines the scripts on one connection after a {@code SCRIPT LOAD}, so they run in request
   * order and none falls back to {@code EVAL} out of order. On a cluster the load goes to every
   * master and is awaited first; each master then runs its partitions' scripts in request order.
   */
  @Override
  public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
    if (drafts.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return redis.call(
        "append",
        c ->
            redis
                .preload(c, APPEND_SCRIPT)
                .thenCompose(
                    loaded -> {
                      List<CompletableFuture<Appended>> each = new ArrayList<>(drafts.size());
                      for (EventDraft draft : drafts) {
                        each.add(appendWith(c, draft, false).toCompletableFuture());
                      }
                      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                          .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
                    }));
  }

  @Override
  public CompletionStage<StreamPositions> tail() {
    return redis.call(
        "tail",
        c -> {
          List<CompletableFuture<List<StreamMessage<String, String>>>> last = new ArrayList<>();
          for (int p = 0; p < layout.partitions(); p++) {
            last.add(
                c.xrevrange(layout.streamKey(p), Range.unbounded(), Limit.from(1))
                    .toCompletableFuture());
          }
          return CompletableFuture.allOf(last.toArray(CompletableFuture[]::new))
              .thenApply(
                  done -> {
                    String[] ids = new String[last.size()];
                    for (int p = 0; p < ids.length; p++) {
                      List<StreamMessage<String, String>> newest = last.get(p).join();
                      ids[p] = newest.isEmpty() ? EventId.STREAM_START : newest.get(0).getId();
                    }
                    return StreamPositions.of(ids);
                  });
        });
  }

  @Override
  public CompletionStage<ReadBatch> read(
      StreamPositions after, int maxPerPartition, Duration block) {
    if (after.partitions() != layout.partitions() || maxPerPartition < 1 || block.isNegative()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "read needs one position per partition (" + layout.partitions() + "), max >= 1"));
    }
    return reader.read(after, maxPerPartition, block);
  }

  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    if (maxEvents < 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("maxEvents < 0"));
    }
    return redis.call("replay", c -> replayer.replay(c, room, since, maxEvents));
  }

  /** See {@link RedisTruncationCheck}: one script per partition, pipelined. */
  @Override
  public CompletionStage<List<TruncatedPartition>> verifyPositions(Map<Integer, EventId> lastRead) {
    for (int partition : lastRead.keySet()) {
      if (partition < 0 || partition >= layout.partitions()) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("no partition " + partition));
      }
    }
    if (lastRead.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return redis.call("verify positions", c -> truncationCheck.verify(c, lastRead));
  }

  @Override
  public CompletionStage<Void> ping() {
    return redis.ping();
  }

  @Override
  public int partitions() {
    return layout.partitions();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Duration retention() {
    return settings.retention();
  }

  @Override
  public void close() {
    redis.close();
  }

  /** Stream entry fields to an event; null (and a warning) for an entry Relay did not write. */
  static StoredEvent toEvent(int partition, StreamMessage<String, String> message) {
    Map<String, String> body = message.getBody();
    String envelope = body.get(ENVELOPE);
    String epoch = body.get(EPOCH);
    if (envelope == null || epoch == null || body.get(ROOM) == null || body.get(TYPE) == null) {
      LOG.warn("skipping malformed entry {} in partition {}", message.getId(), partition);
      return null;
    }
    EventId id = EventId.ofStreamId(message.getId(), epoch);
    return new StoredEvent(
        partition,
        id,
        body.get(ROOM),
        body.get(TYPE),
        "1".equals(body.get(VOLATILE)),
        EnvelopeCodec.withId(envelope, id.toString()),
        body.get(TRACEPARENT));
  }

  private CompletionStage<Appended> appendWith(
      RedisClusterAsyncCommands<String, String> c, EventDraft draft, boolean evalFallback) {
    int partition = layout.partitionOf(draft.room());
    String[] keys =
        draft.nonce() == null
            ? new String[] {layout.streamKey(partition), layout.epochKey(partition)}
            : new String[] {
              layout.streamKey(partition),
              layout.epochKey(partition),
              layout.idempotencyKey(draft.room(), draft.nonce())
            };
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String envelope =
        EnvelopeCodec.encodeWithoutId(
            draft.room(),
            draft.type(),
            draft.payloadJson(),
            draft.issuedAt(),
            now,
            draft.nonce(),
            draft.actor());
    String[] args = appendArgs(draft, now, envelope);
    CompletionStage<List<Object>> run = c.evalsha(appendSha, ScriptOutputType.MULTI, keys, args);
    if (evalFallback) {
      run =
          run.exceptionallyCompose(
              failure ->
                  RedisConnections.unwrap(failure) instanceof RedisNoScriptException
                      ? c.eval(APPEND_SCRIPT, ScriptOutputType.MULTI, keys, args)
                      : CompletableFuture.failedStage(failure));
    }
    return run.thenApply(
        reply -> {
          EventId id = EventId.ofStreamId((String) reply.get(0), (String) reply.get(1));
          boolean duplicate = "1".equals(reply.get(2));
          return new Appended(
              id,
              draft.room(),
              duplicate,
              duplicate ? null : EnvelopeCodec.withId(envelope, id.toString()));
        });
  }

  private String[] appendArgs(EventDraft draft, Instant now, String envelope) {
    List<String> args = new ArrayList<>(14);
    args.add(Epochs.random());
    args.add(Long.toString(Math.max(0, now.toEpochMilli() - settings.retention().toMillis())));
    args.add(Long.toString(settings.idempotencyWindow().toSeconds()));
    args.addAll(List.of(ROOM, draft.room(), TYPE, draft.type()));
    args.addAll(List.of(VOLATILE, EventType.isVolatile(draft.type()) ? "1" : "0"));
    if (draft.traceparent() != null) {
      args.addAll(List.of(TRACEPARENT, draft.traceparent()));
    }
    args.addAll(List.of(ENVELOPE, envelope));
    return args.toArray(String[]::new);
  }

  private static String loadScript(String name) {
    try (InputStream in = RedisEventLog.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
