package dev.relay.gateway.server;

import dev.relay.engine.StoredEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Continues a publisher's trace at this gateway: for every event stored with a W3C {@code
 * traceparent} (taken from {@code POST /v1/events}), one CONSUMER span {@code relay deliver} whose
 * parent is that traceparent, so it carries the publisher's trace id. The span starts at the
 * event's append time (its stream id's milliseconds, clamped to now) and ends when the hub has
 * handed the event to its local subscribers; attributes name the event id and type, the number of
 * local subscribers — never the room or a user.
 *
 * <p>Sampling follows the parent's sampled flag. With the no-op {@link OpenTelemetry} (no exporter
 * configured) nothing is parsed or allocated beyond a flag check. Thread-safe.
 */
final class DeliveryTracer {

  private static final TextMapGetter<String> TRACEPARENT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private final boolean enabled;
  private final Tracer tracer;

  DeliveryTracer(OpenTelemetry openTelemetry) {
    this.enabled = openTelemetry != OpenTelemetry.noop();
    this.tracer = openTelemetry.getTracer("dev.relay.gateway");
  }

  /**
   * Records the delivery span of {@code event}, if it carries a valid traceparent; returns the
   * trace id of that traceparent (also when tracing is off, for log lines), or null.
   */
  String delivered(StoredEvent event, int subscribers) {
    String traceparent = event.traceparent();
    if (traceparent == null) {
      return null;
    }
    if (!enabled) {
      return traceIdOf(traceparent);
    }
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    if (!parentSpan.isValid()) {
      return null;
    }
    long now = System.currentTimeMillis();
    tracer
        .spanBuilder("relay deliver")
        .setParent(parent)
        .setSpanKind(SpanKind.CONSUMER)
        .setStartTimestamp(Math.min(event.id().millis(), now), TimeUnit.MILLISECONDS)
        .setAttribute("messaging.system", "redis")
        .setAttribute("messaging.operation", "deliver")
        .setAttribute("messaging.message.id", event.id().toString())
        .setAttribute("relay.event.type", event.type())
        .setAttribute("relay.subscribers", (long) subscribers)
        .startSpan()
        .end();
    return parentSpan.getTraceId();
  }

  /** The trace id of a well-formed {@code 00-<32 hex>-<16 hex>-<2 hex>} value, else null. */
  static String traceIdOf(String traceparent) {
    if (traceparent.length() < 55
        || traceparent.charAt(2) != '-'
        || traceparent.charAt(35) != '-') {
      return null;
    }
    return traceparent.substring(3, 35);
  }
}
