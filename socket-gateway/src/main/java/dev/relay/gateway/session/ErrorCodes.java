package dev.relay.gateway.session;

/** Stable error codes both protocols send to clients (SPEC §4, §5). */
public final class ErrorCodes {

  public static final String FORBIDDEN = "forbidden";
  public static final String INVALID_MESSAGE = "invalid_message";
  public static final String NOT_SUBSCRIBED = "not_subscribed";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String LIMIT_EXCEEDED = "limit_exceeded";
  public static final String UNAVAILABLE = "unavailable";

  private ErrorCodes() {}
}
