package dev.relay.contracts;

/**
 * Every error code a client of Relay can see, in one place: the {@code code} of publish-api's
 * problem details (SPEC §2), the {@code error} messages and acks of both WebSocket protocols (SPEC
 * §5, §6) and the token refusals (SPEC §4). Codes are stable: clients branch on them.
 */
public final class ErrorCodes {

  /** HTTP: a field of the request is wrong (the problem names it). */
  public static final String INVALID_REQUEST = "invalid_request";

  /** WebSocket: a message or request that cannot be accepted as sent. */
  public static final String INVALID_MESSAGE = "invalid_message";

  /** Missing or bad credentials: API key, signature, or a connection token refused. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** The connection token expired: fetch a new one (SPEC §4). */
  public static final String TOKEN_EXPIRED = "token_expired";

  public static final String FORBIDDEN = "forbidden";
  public static final String NOT_SUBSCRIBED = "not_subscribed";
  public static final String NOT_FOUND = "not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String NOT_ACCEPTABLE = "not_acceptable";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

  /**
   * HTTP 408: the request (headers and body) did not arrive within {@code RELAY_REQUEST_TIMEOUT}.
   */
  public static final String REQUEST_TIMEOUT = "request_timeout";

  public static final String RATE_LIMITED = "rate_limited";

  /** A per-connection cap (rooms, open connections per user) was reached. */
  public static final String LIMIT_EXCEEDED = "limit_exceeded";

  /**
   * A {@code message.delta} whose {@code seq} is neither the next one of its open message nor a
   * repeat (a gap), or a first delta whose {@code seq} is not 1, or a delta that names another
   * conversation than its open message (SPEC §12; see docs/streaming.md).
   */
  public static final String OUT_OF_SEQUENCE = "out_of_sequence";

  /** A {@code message.delta} for a message that was completed (within the room's retention). */
  public static final String MESSAGE_CLOSED = "message_closed";

  /** A {@code message.delta} that would take its message's accumulated text over the cap. */
  public static final String MESSAGE_TOO_LARGE = "message_too_large";

  /** A first {@code message.delta} while the room already has the most open messages. */
  public static final String TOO_MANY_OPEN_MESSAGES = "too_many_open_messages";

  /** Redis (or another dependency) is unreachable: retry. */
  public static final String UNAVAILABLE = "unavailable";

  private ErrorCodes() {}
}
