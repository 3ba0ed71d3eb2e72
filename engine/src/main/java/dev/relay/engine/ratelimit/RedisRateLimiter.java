package dev.relay.engine.ratelimit;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RateLimiter} shared by every instance on one Redis: one hash per bucket, {@code
 * relay:rl:<key>}, updated by one Lua script ({@code acquire.lua} over {@code bucket.lua}) in one
 * round trip, on Redis's clock. A bucket's key expires once it would be full again, so idle buckets
 * disappear.
 *
 * <p>Fails open: when Redis is down or slow (past the command timeout), the call is allowed and a
 * warning is logged, at most once per {@value #LOG_EVERY_MILLIS} ms.
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

  /** The token bucket's Lua ({@code take_tokens}), loaded in front of every script using it. */
  public static final String BUCKET_LUA = "/dev/relay/engine/ratelimit/bucket.lua";

  private static final RedisScript ACQUIRE =
      RedisScript.load(RedisRateLimiter.class, "acquire.lua", BUCKET_LUA);
  private static final String PREFIX = "relay:rl:";
  private static final long LOG_EVERY_MILLIS = 10_000;

  private final RedisConnections redis;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

  /** {@code redis} is shared and not closed by {@link #close()}. */
  public RedisRateLimiter(RedisConnections redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  @Override
  public CompletionStage<RateDecision> tryAcquire(String key, Limit limit, int permits) {
    return tryAcquireAt(PREFIX + key, limit, permits);
  }

  /**
   * As {@link #tryAcquire} on the bucket at exactly {@code redisKey} (no {@code relay:rl:} prefix),
   * e.g. a room's bucket on the room's slot ({@code RedisKeyLayout.roomRateLimit}).
   */
  public CompletionStage<RateDecision> tryAcquireAt(String redisKey, Limit limit, int permits) {
    MemoryRateLimiter.requirePermits(limit, permits);
    String[] keys = {redisKey};
    String capacity = Long.toString(limit.capacity());
    String rate = Double.toString(limit.tokensPerMilli());
    String wanted = Integer.toString(permits);
    CompletableFuture<RateDecision> result = new CompletableFuture<>();
    redis
        .call(
            "rate limit",
            c -> ACQUIRE.<List<Long>>run(c, ScriptOutputType.MULTI, keys, capacity, rate, wanted))
        .whenComplete(
            (reply, failure) -> {
              if (failure != null) {
                warnFailOpen(failure);
                result.complete(RateDecision.allow());
              } else if (reply.get(0) == 1L) {
                result.complete(RateDecision.allow());
              } else {
                result.complete(RateDecision.refuseFor(reply.get(1)));
              }
            });
    return result;
  }

  /** Nothing to release: the connections belong to whoever passed them in. */
  @Override
  public void close() {}

  private void warnFailOpen(Throwable failure) {
    long now = System.currentTimeMillis();
    long last = lastWarning.get();
    if (now - last >= LOG_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
      LOG.warn(
          "rate limiting is failing open (requests are allowed) while Redis is unavailable: {}",
          RedisConnections.unwrap(failure).getMessage());
    }
  }
}
