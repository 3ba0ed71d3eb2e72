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

  /** The detail of the 503 answer to an unexpected error. */
  public static final String DETAIL = "service temporarily unavailable; retry";

  @Override
  public HttpResponse<Problem> handle(HttpRequest request, Throwable exception) {
    report(request.getMethodName(), request.getPath(), exception);
    return ProblemResponses.unavailable(DETAIL);
  }

  /**
   * Counts and logs an unexpected error as {@link #handle} does, for a handler that answers outside
   * Micronaut's routing (it then answers 503 {@code unavailable} with {@link #DETAIL} and {@code
   * Retry-After: 1} itself). {@code path} must not hold the query string. Thread-safe.
   */
  public void report(String method, String path, Throwable exception) {
    meters.counter(ErrorMetrics.ERRORS, "type", "internal").increment();
    LOG.error("unexpected error on {} {}", method, path, exception);
  }
}
