package dev.relay.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code relay_fanout_latency_seconds}: the dispatch stage once per event, and the sampled write
 * stage — the first write of every event always, any other write when the draw in {@code [0, N)} is
 * 0 — each measuring the age of the event since its append time.
 */
class FanoutMetricsTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void theFirstWriteOfEveryEventIsMeasuredWhateverTheDraw() {
    FanoutMetrics metrics = metrics(meters, 16, bound -> 1);
    for (int e = 0; e < 3; e++) {
      Delivery delivery = new Delivery(event(System.currentTimeMillis()));
      for (int write = 0; write < 10; write++) {
        metrics.written(delivery);
      }
    }

    assertThat(timer(meters, "write").count()).isEqualTo(3);
  }

  @Test
  void otherWritesAreMeasuredWhenTheDrawInZeroToNIsZero() {
    List<Integer> bounds = new ArrayList<>();
    int[] next = {0};
    FanoutMetrics metrics =
        metrics(
            meters,
            16,
            bound -> {
              bounds.add(bound);
              return next[0]++ % bound;
            });
    Delivery delivery = new Delivery(event(System.currentTimeMillis()));

    for (int write = 0; write < 1 + 32; write++) {
      metrics.written(delivery);
    }

    assertThat(bounds).hasSize(32).containsOnly(16);
    assertThat(timer(meters, "write").count())
        .as("the first write, then the draws 0 and 16 of 0..31")
        .isEqualTo(3);
  }

  @Test
  void withOneInOneOrLessEveryWriteIsMeasured() {
    for (int sampleEvery : new int[] {1, 0, -5}) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      FanoutMetrics metrics =
          new FanoutMetrics(registry, new GatewayErrors(registry), tracer(), sampleEvery);
      Delivery delivery = new Delivery(event(System.currentTimeMillis()));
      for (int write = 0; write < 50; write++) {
        metrics.written(delivery);
      }
      assertThat(timer(registry, "write").count()).as("1 in %d", sampleEvery).isEqualTo(50);
    }
  }

  @Test
  void aWriteMeasuresTheEventsAgeSinceItsAppendTime() {
    metrics(meters, 1, bound -> 0).written(new Delivery(event(System.currentTimeMillis() - 250)));

    assertThat(timer(meters, "write").max(TimeUnit.MILLISECONDS)).isBetween(250.0, 10_000.0);
  }

  @Test
  void anAppendTimeAheadOfThisClockCountsAsZero() {
    metrics(meters, 1, bound -> 0)
        .written(new Delivery(event(System.currentTimeMillis() + 60_000)));

    assertThat(timer(meters, "write").count()).isEqualTo(1);
    assertThat(timer(meters, "write").totalTime(TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void dispatchIsMeasuredOncePerEventAndWritesDoNotCountThere() {
    FanoutMetrics metrics = metrics(meters, 16, bound -> 0);
    StoredEvent event = event(System.currentTimeMillis());

    metrics.dispatched(event, 3);
    Delivery delivery = new Delivery(event);
    for (int write = 0; write < 3; write++) {
      metrics.written(delivery);
    }

    assertThat(timer(meters, "dispatch").count()).isEqualTo(1);
    assertThat(timer(meters, "write").count()).isEqualTo(3);
  }

  private static FanoutMetrics metrics(
      SimpleMeterRegistry registry, int sampleEvery, IntUnaryOperator draw) {
    return new FanoutMetrics(registry, new GatewayErrors(registry), tracer(), sampleEvery, draw);
  }

  private static Timer timer(SimpleMeterRegistry registry, String stage) {
    return registry.get("relay.fanout.latency").tag("stage", stage).timer();
  }

  private static DeliveryTracer tracer() {
    return new DeliveryTracer(OpenTelemetry.noop());
  }

  private static StoredEvent event(long appendMillis) {
    return new StoredEvent(
        new EventId(appendMillis, 0, "ep0001"),
        "team:t",
        "task.updated",
        false,
        "{\"id\":\"" + appendMillis + "-0.ep0001\"}",
        null);
  }
}
