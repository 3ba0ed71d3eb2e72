package dev.relay.gateway.session;

import dev.relay.engine.ratelimit.Limit;

/**
 * A token bucket for one connection's own requests (e.g. subscribe/unsubscribe churn, SPEC §10):
 * kept in the session, never shared, so it costs no Redis round trip. Starts full. Not thread-safe:
 * confined to the session's executor like the rest of it.
 */
final class ConnectionBucket {

  private final Limit limit;
  private double tokens;
  private long lastMillis;

  ConnectionBucket(Limit limit, long nowMillis) {
    this.limit = limit;
    this.tokens = limit.capacity();
    this.lastMillis = nowMillis;
  }

  /** Takes one token if there is one. */
  boolean tryTake(long nowMillis) {
    if (nowMillis > lastMillis) {
      double perMilli = (double) limit.refill() / limit.period().toMillis();
      tokens = Math.min(limit.capacity(), tokens + (nowMillis - lastMillis) * perMilli);
      lastMillis = nowMillis;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
