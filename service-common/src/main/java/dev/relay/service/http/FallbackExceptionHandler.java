package dev.relay.service.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for an exception no other handler claims. Such an exception is a bug, not a
 * client error, but the contract allows no 5xx other than 503: it answers 503 {@code unavailable}
 * with {@code Retry-After: 1}, counts {@code relay_errors_total{type="internal"}} and logs the
 * stack trace with the method and path only (never the query string or headers).
 */
@Singleton
public class FallbackExceptionHandler
    implements ExceptionHandler<Throwable, HttpResponse<Problem>> {

  private static final Logger LOG = LoggerFactory.getLogger(FallbackExceptionHandler.class);

  private final MeterRegistry meters;

  public FallbackExceptionHandler(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, Throwable exception) {
    meters.counter(ErrorMetrics.ERRORS, "type", "internal").increment();
    LOG.error("unexpected error on {} {}", request.getMethodName(), request.getPath(), exception);
    return ProblemResponses.unavailable("service temporarily unavailable; retry");
  }
}
