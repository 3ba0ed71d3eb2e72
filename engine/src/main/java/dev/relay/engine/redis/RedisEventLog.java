package dev.relay.engine.redis;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.Epochs;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.UnsupportedServerException;
import dev.relay.engine.feed.RoomFeed;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RedisRateLimiter;
import dev.relay.engine.stream.MessageLimits;
import dev.relay.engine.stream.MessagePart;
import dev.relay.engine.stream.OpenMessages;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link EventLog} on Redis 7 or later, one server or a Redis Cluster, through Lettuce's
 * asynchronous API: no method blocks its caller.
 *
 * <p>Each room has its own stream {@code relay:{R}:s}, meta hash {@code relay:{R}:m} (epoch, newest
 * id, entries in the epoch) and sharded Pub/Sub channel {@code relay:{R}:live}, all on the room's
 * slot ({@link RedisKeyLayout}). An append is one Lua script ({@code append.lua}): idempotency
 * check, epoch, {@code XADD} trimmed by age ({@code MINID}) and length ({@code maxRoomEvents}),
 * meta update, TTLs, nonce record and {@code SPUBLISH} of the entry with the id of the room's
 * previous entry, as one atomic step; a draft's room limit is a token bucket on the room's slot
 * ({@code relay:{R}:rl}) taken in the same script, so a publish is one round trip. A replay is one
 * script ({@code read.lua}, via {@link RoomReads}) that reads and proves completeness atomically. A
 * {@link #openFeed feed} is a {@link RoomFeed} over a {@link RedisLiveSource}, which subscribes
 * each followed room on the node serving its slot.
 *
 * <p>When Redis is unreachable every call fails within the command timeout (at once when the
 * connection is known to be down) with {@link dev.relay.engine.EngineUnavailableException}; calls
 * succeed again once Redis is back. See {@code docs/engine-redis-notes.md}.
 */
public final class RedisEventLog implements EventLog {

  private static final RedisScript APPEND =
      RedisScript.load(RedisEventLog.class, "append.lua", RedisRateLimiter.BUCKET_LUA);

  /** The most events a feed repairs from the stream at once before it reports a position lost. */
  static final int REPAIR_MAX = 10_000;

  private final RedisEngineSettings settings;
  private final RedisConnections redis;
  private final boolean ownsRedis;
  private final RoomReads reads;
  private final MessageLimits messageLimits;
  private final RedisRateLimiter roomTokens;

  /**
   * Connects lazily: construction does not fail when Redis is down; the first calls do, with {@link
   * dev.relay.engine.EngineUnavailableException}, until it is reachable.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}
   */
  public RedisEventLog(String url, RedisEngineSettings settings) {
    this(url, settings, MessageLimits.DEFAULTS);
  }

  /**
   * As {@link #RedisEventLog(String, RedisEngineSettings)} with other streamed-message bounds; the
   * log creates its own connections and closes them with itself.
   */
  public RedisEventLog(String url, RedisEngineSettings settings, MessageLimits messageLimits) {
    this(
        new RedisConnections(url, settings.cluster(), settings.commandTimeout()),
        true,
        settings,
        messageLimits);
  }

  /**
   * A log over the process's shared {@code redis} (one Lettuce client per process, shared with the
   * stores): {@link #close()} leaves it open; its owner closes it after this log.
   */
  public RedisEventLog(RedisConnections redis, RedisEngineSettings settings) {
    this(redis, false, settings, MessageLimits.DEFAULTS);
  }

  private RedisEventLog(
      RedisConnections redis,
      boolean ownsRedis,
      RedisEngineSettings settings,
      MessageLimits messageLimits) {
    this.settings = settings;
    this.messageLimits = messageLimits;
    this.redis = redis;
    this.ownsRedis = ownsRedis;
    this.reads = new RoomReads(redis, settings);
    this.roomTokens = new RedisRateLimiter(redis);
  }

  /**
   * Starts opening the command connection now, without waiting, so that a service's first request
   * (often its readiness probe) does not pay for the connect: about a third of a second of a cold
   * start. A failure is not reported here; the next call tries again and reports it.
   */
  public void connectInBackground() {
    redis.commands();
  }

  /**
   * Completes when the server (on a cluster: every master serving slots) is Redis 7.0 or later;
   * fails with {@link UnsupportedServerException} whose message says which version was found
   * ("Relay needs Redis 7.0 or later for sharded Pub/Sub; this server is 6.2.14"), or with {@link
   * dev.relay.engine.EngineUnavailableException} when Redis cannot be reached.
   */
  public CompletionStage<Void> checkServer() {
    return redis
        .serverInfo()
        .thenAccept(
            infos -> {
              for (String info : infos) {
                Optional<String> refusal = RedisServerVersion.refusal(info);
                if (refusal.isPresent()) {
                  throw new UnsupportedServerException(refusal.get());
                }
              }
            });
  }

  /** Connection health counters of this log's Redis client (the shared one when passed in). */
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
   * master and is awaited first; each master then runs its rooms' scripts in request order.
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
                .preload(c, APPEND.text())
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

  /** One {@code acquire.lua} on {@code relay:{R}:rl}, the bucket {@code append.lua} takes from. */
  @Override
  public CompletionStage<RateDecision> takeRoomToken(String room, Limit limit) {
    return roomTokens.tryAcquireAt(RedisKeyLayout.roomRateLimit(room), limit, 1);
  }

  /** One {@code read.lua}: complete and proven, or refused with the reason. */
  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    return reads.read(room, since, maxEvents, false, false);
  }

  /** One read-only {@code history.lua} ({@code XREVRANGE}, bounded scan) on the room's slot. */
  @Override
  public CompletionStage<History> history(String room, int limit, EventId before) {
    return reads.history(room, limit, before);
  }

  /** One read-only {@code snapshot.lua} on the room's slot. */
  @Override
  public CompletionStage<OpenMessages> openMessages(String room) {
    return reads.openMessages(room);
  }

  /**
   * A {@link RoomFeed} over a new {@link RedisLiveSource}: its own Pub/Sub connections (one per
   * node serving followed rooms), closed with the feed. The feed runs on the loop Lettuce's I/O
   * shares when it shares one ({@link RedisConnections#feedExecutor}), else on its own thread.
   */
  @Override
  public Feed openFeed(FeedListener listener) {
    return new RoomFeed(
        new RedisLiveSource(redis, reads), listener, REPAIR_MAX, redis.feedExecutor().orElse(null));
  }

  @Override
  public CompletionStage<Void> ping() {
    return redis.ping();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Duration retention() {
    return settings.retention();
  }

  /** Closes the connections when this log created them, else leaves them to their owner. */
  @Override
  public void close() {
    if (ownsRedis) {
      redis.close();
    }
  }

  /** {@code |} separates the fields of a live message; a W3C traceparent never contains one. */
  private static String traceparentField(String traceparent) {
    return traceparent == null || traceparent.indexOf('|') >= 0 ? "" : traceparent;
  }

  private CompletionStage<Appended> appendWith(
      RedisClusterAsyncCommands<String, String> c, EventDraft draft, boolean evalFallback) {
    String room = draft.room();
    MessagePart part = MessagePart.of(draft).orElse(null);
    Limit limit = draft.roomLimit();
    List<String> keys = new ArrayList<>(8);
    keys.add(RedisKeyLayout.roomStream(room));
    keys.add(RedisKeyLayout.roomMeta(room));
    keys.add(RedisKeyLayout.roomRateLimit(room));
    if (draft.nonce() != null) {
      keys.add(RedisKeyLayout.roomNonce(room, draft.nonce()));
    }
    if (part != null) {
      keys.add(RedisKeyLayout.roomOpenMessages(room));
      keys.add(RedisKeyLayout.roomMessageText(room, part.messageId()));
      keys.add(RedisKeyLayout.roomMessageDone(room, part.messageId()));
    }
    keys.add(RedisKeyLayout.roomChannel(room));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String envelope =
        EnvelopeCodec.encodeWithoutId(
            room,
            draft.type(),
            draft.payloadJson(),
            draft.issuedAt(),
            now,
            draft.nonce(),
            draft.actor());
    String[] args = {
      Epochs.random(),
      Long.toString(Math.max(0, now.toEpochMilli() - settings.retention().toMillis())),
      Long.toString(settings.idempotencyWindow().toSeconds()),
      Integer.toString(settings.maxRoomEvents()),
      Long.toString(settings.roomTtl().toMillis()),
      draft.type(),
      EventType.isVolatile(draft.type()) ? "1" : "0",
      traceparentField(draft.traceparent()),
      envelope,
      part == null ? "" : part.completion() ? "c" : "d",
      part == null ? "" : part.messageId(),
      part == null ? "" : part.conversationId(),
      part == null ? "0" : Long.toString(part.seq()),
      part == null ? "" : part.delta(),
      Integer.toString(messageLimits.maxContentBytes()),
      Integer.toString(messageLimits.maxOpenMessages()),
      Long.toString(now.toEpochMilli()),
      limit == null ? "" : Long.toString(limit.capacity()),
      limit == null ? "" : Double.toString(limit.tokensPerMilli())
    };
    String[] keyArray = keys.toArray(String[]::new);
    CompletionStage<List<Object>> run =
        evalFallback
            ? APPEND.run(c, ScriptOutputType.MULTI, keyArray, args)
            : APPEND.runLoaded(c, ScriptOutputType.MULTI, keyArray, args);
    return run.thenApply(
        reply -> {
          if ("R".equals(reply.get(2))) {
            return Appended.rejected(room, (String) reply.get(3));
          }
          if ("L".equals(reply.get(2))) {
            long waitMillis = (Long) reply.get(3);
            return Appended.rateLimited(
                room, RateDecision.refuseFor(waitMillis).retryAfterSeconds());
          }
          EventId id = EventId.ofStreamId((String) reply.get(0), (String) reply.get(1));
          boolean duplicate = "1".equals(reply.get(2));
          return new Appended(
              id,
              room,
              duplicate,
              duplicate ? null : EnvelopeCodec.withId(envelope, id.toString()));
        });
  }
}
