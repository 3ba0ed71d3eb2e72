package dev.relay.publish.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.MDC;

/**
 * Puts a trace id into the logging MDC ({@code traceId}) while a publish request is handled: the
 * trace id of its W3C {@code traceparent} header when that is well formed, otherwise a generated
 * random one (32 hex digits, like a W3C trace id). Log lines written on the request's own threads
 * carry it; {@link PublishController} carries it onto the "event published" line. {@link
 * FastPublishHandler}, which answers most single publishes without Micronaut's filters, applies the
 * same rule ({@link #traceIdOf}) itself.
 */
@ServerFilter(patterns = {"/v1/**", "/events"})
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class TraceIdFilter {

  static final String MDC_KEY = "traceId";
  private static final SecureRandom RANDOM = new SecureRandom();

  @RequestFilter
  public void traceId(HttpRequest<?> request, MutablePropagatedContext context) {
    context.add(new TraceIdElement(traceIdOf(request.getHeaders().get("traceparent"))));
  }

  /** The trace id of a well-formed {@code traceparent}, else a new random one. */
  static String traceIdOf(String traceparent) {
    if (traceparent != null
        && traceparent.length() >= 55
        && traceparent.charAt(2) == '-'
        && traceparent.charAt(35) == '-') {
      String id = traceparent.substring(3, 35);
      if (id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
          && !id.equals("0".repeat(32))) {
        return id;
      }
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Sets {@code traceId} in the MDC on every thread the request's context is propagated to. */
  record TraceIdElement(String traceId) implements ThreadPropagatedContextElement<String> {

    @Override
    public String updateThreadContext() {
      String previous = MDC.get(MDC_KEY);
      MDC.put(MDC_KEY, traceId);
      return previous;
    }

    @Override
    public void restoreThreadContext(String previous) {
      if (previous == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, previous);
      }
    }
  }
}
