package dev.relay.engine.redis;

import dev.relay.contracts.redis.RedisKeyLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link RedisEventLog}; validated on construction with messages naming the setting.
 *
 * @param partitions P, the number of partition streams; must be the same for every service on one
 *     Redis
 * @param retention how long events stay replayable at least (trimming is approximate, so entries
 *     may stay somewhat longer, never shorter)
 * @param commandTimeout the longest a command may take before it fails with {@link
 *     dev.relay.engine.EngineUnavailableException}; also the connect timeout
 * @param idempotencyWindow how long a nonce is remembered per room
 * @param replayScanLimit the most stream entries one replay may scan before answering {@code
 *     TOO_MANY}
 * @param cluster whether the URL names a seed node of a Redis Cluster rather than one server
 */
public record RedisEngineSettings(
    int partitions,
    Duration retention,
    Duration commandTimeout,
    Duration idempotencyWindow,
    int replayScanLimit,
    boolean cluster) {

  public RedisEngineSettings {
    if (partitions < 1 || partitions > 1024) {
      throw new IllegalArgumentException("partitions must be between 1 and 1024: " + partitions);
    }
    requirePositive(retention, "retention");
    requirePositive(commandTimeout, "commandTimeout");
    requirePositive(idempotencyWindow, "idempotencyWindow");
    if (idempotencyWindow.toSeconds() < 1) {
      throw new IllegalArgumentException("idempotencyWindow must be at least 1 second");
    }
    if (replayScanLimit < 1) {
      throw new IllegalArgumentException("replayScanLimit must be positive: " + replayScanLimit);
    }
  }

  /**
   * P = 16, retention 5 min, command timeout 2 s, idempotency window 24 h, scan limit 50,000, one
   * server (not a cluster).
   */
  public static RedisEngineSettings defaults() {
    return new RedisEngineSettings(
        RedisKeyLayout.DEFAULT_PARTITIONS,
        Duration.ofMinutes(5),
        Duration.ofSeconds(2),
        Duration.ofHours(24),
        50_000,
        false);
  }

  public RedisEngineSettings withPartitions(int value) {
    return new RedisEngineSettings(
        value, retention, commandTimeout, idempotencyWindow, replayScanLimit, cluster);
  }

  public RedisEngineSettings withRetention(Duration value) {
    return new RedisEngineSettings(
        partitions, value, commandTimeout, idempotencyWindow, replayScanLimit, cluster);
  }

  public RedisEngineSettings withCommandTimeout(Duration value) {
    return new RedisEngineSettings(
        partitions, retention, value, idempotencyWindow, replayScanLimit, cluster);
  }

  public RedisEngineSettings withCluster(boolean value) {
    return new RedisEngineSettings(
        partitions, retention, commandTimeout, idempotencyWindow, replayScanLimit, value);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
