package dev.relay.engine.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RedisEventLog}; validated on construction with messages naming the setting.
 *
 * @param retention how long events stay replayable at least (trimming is approximate, so entries
 *     may stay somewhat longer, never shorter, unless {@code maxRoomEvents} caps the room first);
 *     an idle room's keys expire {@link #IDLE_GRACE} after that
 * @param commandTimeout the longest a command may take before it fails with {@link
 *     dev.relay.engine.EngineUnavailableException}; also the connect timeout
 * @param idempotencyWindow how long a nonce is remembered per room
 * @param replayScanLimit the most stream entries one replay or repair read may scan before
 *     answering {@code TOO_MANY}
 * @param maxRoomEvents the approximate length cap of one room's stream: protects Redis from one hot
 *     room; a recovery from before the cap answers {@code TRIMMED}
 * @param cluster whether the URL names a seed node of a Redis Cluster rather than one server
 */
public record RedisEngineSettings(
    Duration retention,
    Duration commandTimeout,
    Duration idempotencyWindow,
    int replayScanLimit,
    int maxRoomEvents,
    boolean cluster) {

  /** How long an idle room's stream and meta outlive the retention before they expire. */
  public static final Duration IDLE_GRACE = Duration.ofMinutes(10);

  public RedisEngineSettings {
    requirePositive(retention, "retention");
    requirePositive(commandTimeout, "commandTimeout");
    requirePositive(idempotencyWindow, "idempotencyWindow");
    if (idempotencyWindow.toSeconds() < 1) {
      throw new IllegalArgumentException("idempotencyWindow must be at least 1 second");
    }
    if (replayScanLimit < 1) {
      throw new IllegalArgumentException("replayScanLimit must be positive: " + replayScanLimit);
    }
    if (maxRoomEvents < 1) {
      throw new IllegalArgumentException("maxRoomEvents must be positive: " + maxRoomEvents);
    }
  }

  /**
   * Retention 5 min, command timeout 2 s, idempotency window 24 h, scan limit 50,000, at most about
   * 10,000 events per room, one server (not a cluster).
   */
  public static RedisEngineSettings defaults() {
    return new RedisEngineSettings(
        Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofHours(24), 50_000, 10_000, false);
  }

  public RedisEngineSettings withRetention(Duration value) {
    return new RedisEngineSettings(
        value, commandTimeout, idempotencyWindow, replayScanLimit, maxRoomEvents, cluster);
  }

  public RedisEngineSettings withCommandTimeout(Duration value) {
    return new RedisEngineSettings(
        retention, value, idempotencyWindow, replayScanLimit, maxRoomEvents, cluster);
  }

  public RedisEngineSettings withMaxRoomEvents(int value) {
    return new RedisEngineSettings(
        retention, commandTimeout, idempotencyWindow, replayScanLimit, value, cluster);
  }

  public RedisEngineSettings withCluster(boolean value) {
    return new RedisEngineSettings(
        retention, commandTimeout, idempotencyWindow, replayScanLimit, maxRoomEvents, value);
  }

  /** The TTL of a room's stream and meta, renewed by every append and every follow. */
  Duration roomTtl() {
    return retention.plus(IDLE_GRACE);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
