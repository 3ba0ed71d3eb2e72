package dev.relay.gateway.server;

import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FanoutObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The gateway's fan-out instruments: {@code relay_fanout_latency_seconds}, the delivery span and
 * the delivery log line. Both stages of the histogram measure from the event's append time (the
 * millisecond part of its stream id, set by Redis — or by this process on the memory engine — when
 * publish-api appended it; so 1 ms resolution, and clock skew between Redis and this host shows up
 * as an offset; negative values count as 0):
 *
 * <ul>
 *   <li>{@code stage="dispatch"}: to the moment the hub handed the event (as the feed delivered it)
 *       to all its local subscribers; once per event read by this gateway, whether or not anyone is
 *       in its room.
 *   <li>{@code stage="write"}: to the moment one connection's frame was handed to its transport on
 *       the connection's event loop (for a WebSocket the frame is then written and flushed to the
 *       socket; for Socket.IO long-polling it is queued for the next poll). Sampled: the first
 *       write of every event on this gateway, plus one in {@code sampleEvery} of the other writes,
 *       chosen at random, so a room of 1,000 connections costs about 1 + 1000/N measurements.
 * </ul>
 *
 * <p>Thread-safe: every method only records into lock-free meters. No label carries a room,
 * session, user or token.
 */
final class FanoutMetrics implements FanoutObserver {

  /** Logger of the per-event lines (DEBUG); off by default, on in dev mode. */
  static final Logger EVENTS = LoggerFactory.getLogger("relay.events");

  private static final Logger LOG = LoggerFactory.getLogger(FanoutMetrics.class);

  /** Histogram buckets: fine where SPEC §9's targets are (2 ms p50, 10–30 ms p99), coarse after. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(20), Duration.ofMillis(30), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  private final Timer dispatchLatency;
  private final Timer writeLatency;
  private final GatewayErrors errors;
  private final DeliveryTracer tracer;
  private final int sampleEvery;
  private final IntUnaryOperator draw;

  FanoutMetrics(
      MeterRegistry meters, GatewayErrors errors, DeliveryTracer tracer, int sampleEvery) {
    this(meters, errors, tracer, sampleEvery, bound -> ThreadLocalRandom.current().nextInt(bound));
  }

  /**
   * @param draw given {@code sampleEvery}, a number in {@code [0, sampleEvery)}; a write that is
   *     not the first of its event is measured when it is 0. Called on the connections' event
   *     loops.
   */
  FanoutMetrics(
      MeterRegistry meters,
      GatewayErrors errors,
      DeliveryTracer tracer,
      int sampleEvery,
      IntUnaryOperator draw) {
    this.dispatchLatency = latency(meters, "dispatch");
    this.writeLatency = latency(meters, "write");
    this.errors = errors;
    this.tracer = tracer;
    this.sampleEvery = Math.max(1, sampleEvery);
    this.draw = draw;
  }

  private static Timer latency(MeterRegistry meters, String stage) {
    return Timer.builder("relay.fanout.latency")
        .description("From the event's append time to its hand-over (dispatch) or socket write")
        .tag("stage", stage)
        .serviceLevelObjectives(BUCKETS)
        .register(meters);
  }

  @Override
  public void dispatched(StoredEvent event, int subscribers) {
    record(dispatchLatency, event);
    String traceId = tracer.delivered(event, subscribers);
    if (EVENTS.isDebugEnabled()) {
      try (MDC.MDCCloseable ignored =
          traceId == null ? null : MDC.putCloseable("traceId", traceId)) {
        EVENTS.debug(
            "event dispatched: eventId={} type={} subscribers={}",
            event.id(),
            event.type(),
            subscribers);
      }
    }
  }

  @Override
  public void written(Delivery delivery) {
    if (delivery.firstReport() || draw.applyAsInt(sampleEvery) == 0) {
      record(writeLatency, delivery.event());
    }
  }

  @Override
  public void slowConsumerClosed() {
    errors.record(GatewayErrors.SLOW_CONSUMER);
  }

  /** Counted once per lost room; the room is not logged (no user data in logs at WARN). */
  @Override
  public void roomLost(String reason, int subscribers) {
    errors.record(GatewayErrors.STREAM_LOST);
    LOG.warn(
        "the feed lost its position in a room ({}): closing its {} local connections to recover",
        reason,
        subscribers);
  }

  @Override
  public void followFailed() {
    errors.record(GatewayErrors.STREAM_READ);
  }

  private static void record(Timer timer, StoredEvent event) {
    long age = System.currentTimeMillis() - event.id().millis();
    timer.record(Math.max(0, age), TimeUnit.MILLISECONDS);
  }
}
