package dev.relay.service.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code GET /info} reports about this process. Contains nothing secret.
 *
 * @param name the service role, e.g. {@code publish-api}, {@code gateway} or {@code dev}
 * @param version the build version, {@code unknown} when not packaged
 * @param commit the source commit ({@code RELAY_COMMIT}), {@code unknown} when not set
 * @param instanceId unique per process ({@code RELAY_INSTANCE_ID} or generated); also in every log
 *     line
 * @param startedAt when the process started
 */
public record ServiceIdentity(
    String name, String version, String commit, String instanceId, Instant startedAt) {

  public Duration uptime(Instant now) {
    return Duration.between(startedAt, now);
  }
}
