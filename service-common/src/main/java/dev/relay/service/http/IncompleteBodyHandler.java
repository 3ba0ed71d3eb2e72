package dev.relay.service.http;

import dev.relay.contracts.ErrorCodes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.io.EOFException;

/**
 * A body that ended early: the client aborted its upload, or the intake cut it off at its route's
 * limit and closed the connection. The client caused it, so nothing is logged here (the intake
 * reports it once per connection, see {@code ClientFaults}); the 400 answer only matters if the
 * connection is still open, which it usually is not.
 */
@Singleton
public class IncompleteBodyHandler
    implements ExceptionHandler<EOFException, HttpResponse<Problem>> {

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, EOFException exception) {
    return ProblemResponses.of(
        Problem.of(400, ErrorCodes.INVALID_REQUEST, "request body incomplete", "body"), 0);
  }
}
