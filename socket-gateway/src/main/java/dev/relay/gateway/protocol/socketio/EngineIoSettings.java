package dev.relay.gateway.protocol.socketio;

import java.time.Duration;

/**
 * Engine.IO settings.
 *
 * @param pingInterval {@code RELAY_SIO_PING_INTERVAL}: the server pings every interval
 * @param pingTimeout {@code RELAY_SIO_PING_TIMEOUT}: a session whose pong does not arrive within
 *     this time after a ping is closed
 * @param maxPayload largest packet (WebSocket) or polling body, in characters
 */
public record EngineIoSettings(Duration pingInterval, Duration pingTimeout, int maxPayload) {

  public static EngineIoSettings defaults() {
    return new EngineIoSettings(Duration.ofSeconds(25), Duration.ofSeconds(20), 1_000_000);
  }
}
