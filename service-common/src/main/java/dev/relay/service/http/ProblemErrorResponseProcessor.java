package dev.relay.service.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Gives every error Micronaut produces itself (unknown route, wrong method, wrong content type,
 * body too large, unreadable body) an {@code application/problem+json} body with a stable code.
 *
 * <p>Guarantee: no answer built here is a 5xx other than 503 {@code unavailable} (with {@code
 * Retry-After: 1}); the detail of such an answer never reveals internals.
 */
@Singleton
@Primary
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

  @Override
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    int status = response.code();
    if (status >= 500) {
      status = 503;
    }
    String detail = null;
    String field = null;
    if (status < 500 && context.hasErrors()) {
      Error first = context.getErrors().get(0);
      detail = first.getMessage();
      field = first.getPath().orElse(null);
    }
    if (detail == null) {
      detail = defaultDetail(status);
    }
    Problem problem = Problem.of(status, ProblemStatus.forStatus(status), detail, field);
    MutableHttpResponse<Problem> answer =
        response
            .status(io.micronaut.http.HttpStatus.valueOf(status))
            .contentType(ProblemResponses.PROBLEM_JSON)
            .body(problem);
    if (status == 503 && answer.getHeaders().get(HttpHeaders.RETRY_AFTER) == null) {
      answer.header(HttpHeaders.RETRY_AFTER, "1");
    }
    return answer;
  }

  private static String defaultDetail(int status) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed on this resource";
      case 413 -> "request body too large";
      case 415 -> "content type not supported: send application/json";
      case 503 -> "service temporarily unavailable; retry";
      default -> "request rejected";
    };
  }
}
