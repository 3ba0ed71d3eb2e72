package dev.relay.engine.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Token-bucket rate limits (SPEC §2, §4): per IP, per room, per {@code sub}, per connection and
 * event type. The caller builds the key ({@code "ip:" + address}, {@code "room:" + room}, …) and
 * should use one {@link Limit} per key; every instance sharing the store shares each key's bucket.
 *
 * <p>Guarantees: each call is one atomic step on its bucket, so concurrent callers on any number of
 * instances never take more than the bucket holds. {@link
 * dev.relay.engine.ratelimit.RedisRateLimiter} fails open: when Redis cannot answer, the call is
 * allowed (and logged), so rate limiting can never take the service down; its stage never fails.
 * Thread-safe; no method blocks its caller.
 */
public interface RateLimiter extends AutoCloseable {

  /**
   * Takes {@code permits} (1 to {@code limit.capacity()}) from the bucket of {@code key}, or none
   * when it holds fewer; a bucket nobody used for a while is full.
   */
  CompletionStage<RateDecision> tryAcquire(String key, Limit limit, int permits);

  @Override
  void close();
}
