package dev.relay.service.http;

/** The stable error codes of SPEC §2 and the HTTP statuses they travel with. */
public final class ErrorCodes {

  public static final String INVALID_REQUEST = "invalid_request";
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String FORBIDDEN = "forbidden";
  public static final String NOT_FOUND = "not_found";
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
  public static final String NOT_ACCEPTABLE = "not_acceptable";
  public static final String REQUEST_TIMEOUT = "request_timeout";
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
  public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String UNAVAILABLE = "unavailable";

  private ErrorCodes() {}

  /**
   * The code for a status. Every 5xx maps to {@code unavailable}: the services answer no other
   * server error (see {@link ProblemErrorResponseProcessor}).
   */
  public static String forStatus(int status) {
    return switch (status) {
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 408 -> REQUEST_TIMEOUT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 429 -> RATE_LIMITED;
      default -> status >= 500 ? UNAVAILABLE : INVALID_REQUEST;
    };
  }

  public static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Service Unavailable" : "Bad Request";
    };
  }
}
