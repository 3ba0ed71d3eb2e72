package dev.relay.publish.events;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.Appended;
import dev.relay.publish.ratelimit.PublishRateLimiter;
import dev.relay.service.http.ProblemException;

/**
 * The HTTP answer to an event the engine refused ({@link Appended#rejected}): a streamed-message
 * event (SPEC §12) is 409 with the engine's code and the field at fault (the request is
 * well-formed; the message's state on the relay does not admit it); the room's publish limit is 429
 * {@code rate_limited} with its {@code Retry-After} (SPEC §2).
 */
public final class StreamRefusals {

  private StreamRefusals() {}

  /** The problem for a refused {@code appended}. */
  public static ProblemException problem(Appended appended) {
    return appended.isRateLimited()
        ? PublishRateLimiter.Decision.refuse(appended.retryAfterSeconds()).problem()
        : problem(appended.rejected());
  }

  public static ProblemException problem(String code) {
    return new ProblemException(409, code, detail(code), field(code), 0);
  }

  private static String detail(String code) {
    return switch (code) {
      case ErrorCodes.OUT_OF_SEQUENCE ->
          "seq must be the message's next one (1 for a new message); a repeated seq is a"
              + " duplicate, a gap is refused; the conversationId must stay the same";
      case ErrorCodes.MESSAGE_CLOSED -> "the message was completed; deltas are refused after it";
      case ErrorCodes.MESSAGE_TOO_LARGE -> "the delta would take the message's text over its cap";
      case ErrorCodes.TOO_MANY_OPEN_MESSAGES -> "the room has the most open streamed messages";
      default -> "refused";
    };
  }

  private static String field(String code) {
    return switch (code) {
      case ErrorCodes.OUT_OF_SEQUENCE -> "payload.seq";
      case ErrorCodes.MESSAGE_TOO_LARGE -> "payload.delta";
      default -> "payload.messageId";
    };
  }
}
