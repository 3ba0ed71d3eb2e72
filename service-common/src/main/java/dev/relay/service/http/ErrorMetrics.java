package dev.relay.service.http;

/** Metric names shared by the services. */
public final class ErrorMetrics {

  /** Counter {@code relay_errors_total{type}}; {@code type} is a fixed, small set of words. */
  public static final String ERRORS = "relay.errors";

  private ErrorMetrics() {}
}
