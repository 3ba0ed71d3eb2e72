package dev.relay.service.http;

import dev.relay.contracts.ErrorCodes;

/**
 * Ends a request with a problem details answer. Thrown by request handling code that has decided
 * the outcome; {@link ProblemExceptionHandler} turns it into the response. Stackless: it is a
 * normal outcome, not a bug.
 */
public class ProblemException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final int retryAfterSeconds;

  public ProblemException(
      int status, String code, String detail, String field, int retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400 {@code invalid_request} naming the offending field. */
  public static ProblemException invalid(String field, String detail) {
    return new ProblemException(400, ErrorCodes.INVALID_REQUEST, detail, field, 0);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The offending field, or null. */
  public String field() {
    return field;
  }

  /** Seconds for a {@code Retry-After} header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Problem toProblem() {
    return Problem.of(status, code, getMessage(), field);
  }
}
