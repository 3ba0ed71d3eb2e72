package dev.relay.publish.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a publish may proceed (SPEC §2: per client IP and per room, shared across
 * instances). Consulted after authentication and validation, before the append; a refusal answers
 * 429 {@code rate_limited} with {@code Retry-After}. Implementations must not block and must not
 * keep the room or IP in metric labels.
 */
public interface PublishRateLimiter {

  /** The verdict: allowed, or refused with a wait of 1–60 whole seconds. */
  record Decision(boolean allowed, int retryAfterSeconds) {

    public static final Decision ALLOW = new Decision(true, 0);

    public static Decision refuse(int retryAfterSeconds) {
      return new Decision(false, Math.max(1, Math.min(60, retryAfterSeconds)));
    }
  }

  /**
   * @param clientIp the caller's address, or null when unknown
   * @param room the target room
   */
  CompletionStage<Decision> acquire(String clientIp, String room);
}
