package dev.relay.engine.ratelimit;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link RateLimiter} for one process (dev mode, unit tests): the same token bucket as {@link
 * RedisRateLimiter}, held in a map under one monitor. Buckets that would be full again are dropped
 * every {@value #PRUNE_EVERY} calls, so the map stays bounded by the keys active recently. Calls
 * complete before they return.
 */
public final class MemoryRateLimiter implements RateLimiter {

  private static final int PRUNE_EVERY = 1024;

  private static final class Bucket {
    double tokens;
    long stamp;
    long fullAt;
  }

  private final Map<String, Bucket> buckets = new HashMap<>();
  private int calls;

  @Override
  public CompletionStage<RateDecision> tryAcquire(String key, Limit limit, int permits) {
    requirePermits(limit, permits);
    double rate = limit.tokensPerMilli();
    RateDecision decision;
    synchronized (this) {
      long now = System.currentTimeMillis();
      if (++calls % PRUNE_EVERY == 0) {
        prune(now);
      }
      Bucket bucket = buckets.get(key);
      if (bucket == null) {
        bucket = new Bucket();
        bucket.tokens = limit.capacity();
        bucket.stamp = now;
        buckets.put(key, bucket);
      } else if (now > bucket.stamp) {
        bucket.tokens = Math.min(limit.capacity(), bucket.tokens + (now - bucket.stamp) * rate);
        bucket.stamp = now;
      }
      if (bucket.tokens >= permits) {
        bucket.tokens -= permits;
        decision = RateDecision.allow();
      } else {
        decision = RateDecision.refuseFor((long) Math.ceil((permits - bucket.tokens) / rate));
      }
      bucket.fullAt = now + (long) Math.ceil((limit.capacity() - bucket.tokens) / rate);
    }
    return CompletableFuture.completedFuture(decision);
  }

  @Override
  public synchronized void close() {
    buckets.clear();
  }

  static void requirePermits(Limit limit, int permits) {
    if (permits < 1 || permits > limit.capacity()) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the capacity " + limit.capacity() + ": " + permits);
    }
  }

  private void prune(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().fullAt < now) {
        it.remove();
      }
    }
  }
}
