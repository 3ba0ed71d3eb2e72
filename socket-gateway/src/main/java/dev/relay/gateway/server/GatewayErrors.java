package dev.relay.gateway.server;

import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.ErrorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's error counters, all registered at zero on start-up: {@code
 * relay_errors_total{type}} for failures inside the gateway, and {@code
 * relay_connections_refused_total{code}} for connections refused at admission (by the code the
 * client sees). Label values come from the fixed lists here, never from requests. Thread-safe.
 */
final class GatewayErrors {

  /**
   * A room could not be followed (the engine's store unreachable or timing out); the subscribe or
   * connection asking for it is refused {@code unavailable}.
   */
  static final String STREAM_READ = "stream_read";

  /**
   * The feed lost its position in a room (its stream lost or truncated, a gap it could not repair);
   * the room's connections are closed to recover. Counted once per room.
   */
  static final String STREAM_LOST = "stream_lost";

  /** A connection could not keep up with its events and was closed with 1013. */
  static final String SLOW_CONSUMER = "slow_consumer";

  static final List<String> TYPES = List.of(STREAM_READ, STREAM_LOST, SLOW_CONSUMER);

  static final List<String> REFUSAL_CODES =
      List.of(
          ErrorCodes.UNAUTHORIZED,
          ErrorCodes.TOKEN_EXPIRED,
          ErrorCodes.RATE_LIMITED,
          ErrorCodes.UNAVAILABLE,
          "other");

  private final Map<String, Counter> errors = new HashMap<>();
  private final Map<String, Counter> refusals = new HashMap<>();

  GatewayErrors(MeterRegistry meters) {
    for (String type : TYPES) {
      errors.put(type, Counter.builder(ErrorMetrics.ERRORS).tag("type", type).register(meters));
    }
    for (String code : REFUSAL_CODES) {
      refusals.put(
          code,
          Counter.builder("relay.connections.refused")
              .description("Connections refused at admission, by the code the client saw")
              .tag("code", code)
              .register(meters));
    }
  }

  void record(String type) {
    errors.get(type).increment();
  }

  /** Counts a refused connection; codes outside the fixed list count as {@code other}. */
  void refused(String code) {
    Counter counter = refusals.get(code);
    (counter == null ? refusals.get("other") : counter).increment();
  }
}
