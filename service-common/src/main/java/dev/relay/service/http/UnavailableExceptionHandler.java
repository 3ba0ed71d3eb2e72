package dev.relay.service.http;

import dev.relay.engine.EngineUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The engine could not be reached: 503 {@code unavailable} with {@code Retry-After: 1}. The engine
 * guarantees a failed append stored nothing a retry could duplicate.
 */
@Singleton
public class UnavailableExceptionHandler
    implements ExceptionHandler<EngineUnavailableException, HttpResponse<Problem>> {

  private final MeterRegistry meters;

  public UnavailableExceptionHandler(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, EngineUnavailableException exception) {
    meters.counter(ErrorMetrics.ERRORS, "type", "engine_unavailable").increment();
    return ProblemResponses.unavailable("the event store is unreachable; retry shortly");
  }
}
