package dev.relay.publish.ratelimit;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.service.http.ProblemException;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a publish may proceed (SPEC §2: per client IP and per room, shared across
 * instances). Consulted after authentication and validation: the IP first ({@link #acquireIp}); the
 * room's token is then taken by the event log in the append itself, from the draft's {@link
 * #perRoom()} limit, so a refused IP never spends a room token. A refusal answers 429 {@code
 * rate_limited} with {@code Retry-After} ({@link Decision#problem()}). Implementations must not
 * block and must not keep the room or IP in metric labels.
 */
public interface PublishRateLimiter {

  /** The verdict: allowed, or refused with a wait of 1–60 whole seconds. */
  record Decision(boolean allowed, int retryAfterSeconds) {

    public static final Decision ALLOW = new Decision(true, 0);

    public static Decision refuse(int retryAfterSeconds) {
      return new Decision(false, Math.max(1, Math.min(60, retryAfterSeconds)));
    }

    public static Decision of(RateDecision decision) {
      return decision.allowed() ? ALLOW : refuse(decision.retryAfterSeconds());
    }

    /** Null when allowed, else the 429 {@code rate_limited} to answer, with its Retry-After. */
    public ProblemException problem() {
      return allowed
          ? null
          : new ProblemException(
              429,
              ErrorCodes.RATE_LIMITED,
              "rate limit exceeded; retry later",
              null,
              retryAfterSeconds);
    }
  }

  /**
   * Takes one token of the caller's per-IP bucket.
   *
   * @param clientIp the caller's address, or null when unknown (then always allowed)
   */
  CompletionStage<Decision> acquireIp(String clientIp);

  /** The per-room bucket every published draft carries, for the log to take in the append. */
  Limit perRoom();

  /**
   * The one IP token and the one room token of a whole stream (SPEC §12), IP first: a refused IP
   * takes no room token.
   */
  CompletionStage<Decision> acquireStream(String clientIp, String room);
}
