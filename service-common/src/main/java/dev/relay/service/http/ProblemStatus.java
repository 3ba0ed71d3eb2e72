package dev.relay.service.http;

import dev.relay.contracts.ErrorCodes;

/**
 * Which stable error code ({@link ErrorCodes}, SPEC §2) and title an HTTP status travels with in a
 * problem answer.
 */
public final class ProblemStatus {

  private ProblemStatus() {}

  /**
   * The code for a status. Every 5xx maps to {@code unavailable}: the services answer no other
   * server error (see {@link ProblemErrorResponseProcessor}).
   */
  public static String forStatus(int status) {
    return switch (status) {
      case 401 -> ErrorCodes.UNAUTHORIZED;
      case 403 -> ErrorCodes.FORBIDDEN;
      case 404 -> ErrorCodes.NOT_FOUND;
      case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCodes.NOT_ACCEPTABLE;
      case 408 -> ErrorCodes.REQUEST_TIMEOUT;
      case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCodes.UNSUPPORTED_MEDIA_TYPE;
      case 429 -> ErrorCodes.RATE_LIMITED;
      default -> status >= 500 ? ErrorCodes.UNAVAILABLE : ErrorCodes.INVALID_REQUEST;
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
