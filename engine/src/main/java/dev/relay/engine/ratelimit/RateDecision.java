package dev.relay.engine.ratelimit;

/**
 * The answer to one {@link RateLimiter#tryAcquire}.
 *
 * @param allowed whether the permits were taken
 * @param retryAfterSeconds when refused, whole seconds until they would be available, clamped to
 *     1–60 as {@code Retry-After} wants (SPEC §4); 0 when allowed
 */
public record RateDecision(boolean allowed, int retryAfterSeconds) {

  private static final RateDecision ALLOWED = new RateDecision(true, 0);

  public static RateDecision allow() {
    return ALLOWED;
  }

  /** Refused, to be retried after {@code millis}, rounded up and clamped to 1–60 s. */
  public static RateDecision refuseFor(long millis) {
    long seconds = (Math.max(0, millis) + 999) / 1000;
    return new RateDecision(false, (int) Math.min(60, Math.max(1, seconds)));
  }
}
