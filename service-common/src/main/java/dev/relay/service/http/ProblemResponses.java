package dev.relay.service.http;

import dev.relay.contracts.ErrorCodes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** Builds {@code application/problem+json} responses. */
public final class ProblemResponses {

  public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

  private ProblemResponses() {}

  public static MutableHttpResponse<Problem> of(Problem problem, int retryAfterSeconds) {
    MutableHttpResponse<Problem> response =
        HttpResponse.<Problem>status(io.micronaut.http.HttpStatus.valueOf(problem.status()))
            .contentType(PROBLEM_JSON)
            .body(problem);
    if (retryAfterSeconds > 0) {
      response.header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }
    return response;
  }

  public static MutableHttpResponse<Problem> of(ProblemException e) {
    return of(e.toProblem(), e.retryAfterSeconds());
  }

  /** 503 {@code unavailable} with {@code Retry-After: 1}. */
  public static MutableHttpResponse<Problem> unavailable(String detail) {
    return of(Problem.of(503, ErrorCodes.UNAVAILABLE, detail, null), 1);
  }
}
