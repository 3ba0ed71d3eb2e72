package dev.relay.publish.stream;

import dev.relay.service.config.EnvConfig;
import java.time.Duration;

/**
 * Bounds of one {@code POST /v1/events:stream} request (SPEC §12), validated at start-up.
 *
 * @param idleTimeout {@code RELAY_STREAM_IDLE_TIMEOUT} (30 s): a stream that completes no line for
 *     this long is ended (bytes without a newline do not count, so a slowloris drip is idle)
 * @param maxDuration {@code RELAY_STREAM_MAX_DURATION} (10 min): from the request's headers to its
 *     end; a longer stream is ended
 * @param maxLineBytes the largest line: the body limit of a single publish ({@code
 *     RELAY_MAX_PAYLOAD_BYTES} + 8 KiB); a longer line is rejected on its own and skipped
 * @param maxQueuedBytes received lines not yet appended; past it the connection stops reading (TCP
 *     back-pressure to the client) until appends catch up
 */
public record StreamSettings(
    Duration idleTimeout, Duration maxDuration, int maxLineBytes, int maxQueuedBytes) {

  /** SPEC §10/§12: the body of one stream, cut off past it (413). */
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);
  public static final int MAX_QUEUED_BYTES = 256 * 1024;

  public static StreamSettings from(EnvConfig config, int maxLineBytes) {
    return new StreamSettings(
        config.duration("RELAY_STREAM_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT, Duration.ofMillis(100)),
        config.duration("RELAY_STREAM_MAX_DURATION", DEFAULT_MAX_DURATION, Duration.ofMillis(100)),
        maxLineBytes,
        MAX_QUEUED_BYTES);
  }
}
