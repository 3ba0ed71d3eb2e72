package dev.relay.service.intake;

import dev.relay.service.config.EnvConfig;
import java.time.Duration;

/**
 * How long a client may take to send one HTTP request, validated at start-up.
 *
 * @param requestTimeout {@code RELAY_REQUEST_TIMEOUT}: from the first byte of a request to the end
 *     of its body (headers and body); over it the request is answered 408 and the connection closed
 */
public record IntakeSettings(Duration requestTimeout) {

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public static IntakeSettings from(EnvConfig config) {
    return new IntakeSettings(
        config.duration("RELAY_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT, Duration.ofMillis(200)));
  }
}
