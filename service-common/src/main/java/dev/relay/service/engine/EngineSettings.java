package dev.relay.service.engine;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Which engine a service uses and how it is shaped, validated at start-up. {@code redisUrl} may
 * hold a password, so {@link #toString()} shows only its host.
 *
 * @param kind {@code redis} (production) or {@code memory} (dev mode, one process)
 * @param redisUrl the {@code redis://} or {@code rediss://} URL; null for the memory engine
 * @param partitions P, the number of partition streams; the same for every service on one Redis
 * @param retention how long events stay replayable
 * @param cluster whether {@code redisUrl} is a seed node of a Redis Cluster ({@code REDIS_CLUSTER})
 */
public record EngineSettings(
    String kind, String redisUrl, int partitions, Duration retention, boolean cluster) {

  public static final String MEMORY = "memory";
  public static final String REDIS = "redis";
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

  /**
   * Reads {@code RELAY_ENGINE} ({@code relay.engine}: {@code memory} or {@code redis}, default
   * redis), {@code REDIS_URL} (required for redis), {@code RELAY_PARTITIONS} (default 16) and
   * {@code RELAY_RETENTION} (default 5m, at least 2m as SPEC §7 requires) and {@code REDIS_CLUSTER}
   * ({@code redis.cluster}, default false; when true {@code REDIS_URL} is any node of a Redis
   * Cluster, without a database number).
   */
  public static EngineSettings from(EnvConfig config) {
    String kind = config.get("RELAY_ENGINE").orElse(REDIS).toLowerCase(Locale.ROOT);
    if (!kind.equals(MEMORY) && !kind.equals(REDIS)) {
      throw new ConfigException("RELAY_ENGINE must be redis or memory");
    }
    int partitions = config.integer("RELAY_PARTITIONS", RedisKeyLayout.DEFAULT_PARTITIONS, 1, 1024);
    Duration retention =
        config.duration("RELAY_RETENTION", DEFAULT_RETENTION, Duration.ofMinutes(2));
    if (kind.equals(MEMORY)) {
      return new EngineSettings(MEMORY, null, partitions, retention, false);
    }
    String url =
        config.required(
            "REDIS_URL", "set it to the redis:// or rediss:// URL of the Redis that holds events");
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new ConfigException("REDIS_URL must start with redis:// or rediss://");
    }
    if (host(url).isEmpty()) {
      throw new ConfigException("REDIS_URL is not a valid URL: expected redis://host:port");
    }
    boolean cluster = config.flag("REDIS_CLUSTER", false);
    if (cluster && hasDatabase(url)) {
      throw new ConfigException(
          "REDIS_URL must not name a database with REDIS_CLUSTER=true: a cluster has only database"
              + " 0");
    }
    return new EngineSettings(REDIS, url, partitions, retention, cluster);
  }

  private static boolean hasDatabase(String url) {
    String path = URI.create(url).getPath();
    return path != null && !path.isEmpty() && !path.equals("/") && !path.equals("/0");
  }

  private static Optional<String> host(String url) {
    try {
      return Optional.ofNullable(URI.create(url).getHost());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    String where =
        redisUrl == null
            ? ""
            : (cluster ? ", redis-cluster=" : ", redis=") + host(redisUrl).orElse("?");
    return "EngineSettings["
        + kind
        + where
        + ", partitions="
        + partitions
        + ", retention="
        + retention
        + "]";
  }
}
