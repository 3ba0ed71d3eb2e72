package dev.relay.publish.events;

import dev.relay.service.http.ErrorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * publish-api metrics (SPEC §8). Labels take values from fixed small sets only; no label ever holds
 * a room, session or user id. All meters exist from start-up, at zero.
 */
public final class PublishMetrics {

  /** The {@code result} label of {@code relay_publish_total}. */
  public enum Result {
    ACCEPTED,
    DUPLICATE,
    INVALID,
    UNAUTHORIZED,
    RATE_LIMITED,
    UNAVAILABLE,
    TOO_LARGE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Timer latency;
  private final Map<Result, Counter> results = new EnumMap<>(Result.class);
  private final Counter sessionEvents;
  private final MeterRegistry registry;

  public PublishMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.latency =
        Timer.builder("relay.publish.latency")
            .description("Time from request start to the publish answer")
            .publishPercentileHistogram()
            .register(registry);
    for (Result result : Result.values()) {
      results.put(
          result,
          Counter.builder("relay.publish")
              .description("Publish outcomes, one per event")
              .tag("result", result.label())
              .register(registry));
    }
    this.sessionEvents =
        Counter.builder("relay.session.events")
            .description("Events accepted into session rooms")
            .register(registry);
  }

  public void record(Result result) {
    results.get(result).increment();
  }

  public void accepted(String room, boolean duplicate) {
    record(duplicate ? Result.DUPLICATE : Result.ACCEPTED);
    if (!duplicate && room.startsWith("session:")) {
      sessionEvents.increment();
    }
  }

  public void latencyNanos(long nanos) {
    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** {@code relay_errors_total{type}}; {@code type} must be a fixed word. */
  public void error(String type) {
    registry.counter(ErrorMetrics.ERRORS, "type", type).increment();
  }
}
