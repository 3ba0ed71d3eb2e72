package dev.relay.publish.events;

import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.ProblemException;

/**
 * The HTTP answer to a streamed-message event the engine refused (SPEC §12; {@link
 * dev.relay.engine.Appended#rejected}): 409 with the engine's code and the field at fault. The
 * request is well-formed; the message's state on the relay does not admit it.
 */
public final class StreamRefusals {

  private StreamRefusals() {}

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
