package dev.relay.service.engine;

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
 * @param retention how long events stay replayable
 * @param maxRoomEvents the most events one room's stream keeps (older ones are trimmed first)
 * @param cluster whether {@code redisUrl} is a seed node of a Redis Cluster ({@code REDIS_CLUSTER})
 */
public record EngineSettings(
    String kind, String redisUrl, Duration retention, int maxRoomEvents, boolean cluster) {

  public static final String MEMORY = "memory";
  public static final String REDIS = "redis";
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);
  public static final int DEFAULT_ROOM_MAX_EVENTS = 10_000;

  /**
   * Reads {@code RELAY_ENGINE} ({@code relay.engine}: {@code memory} or {@code redis}, default
   * redis), {@code REDIS_URL} (required for redis), {@code RELAY_RETENTION} (default 5m, at least
   * 2m as SPEC §7 requires), {@code RELAY_ROOM_MAX_EVENTS} (default 10,000) and {@code
   * REDIS_CLUSTER} ({@code redis.cluster}, default false; when true {@code REDIS_URL} is any node
   * of a Redis Cluster, without a database number).
   */
  public static EngineSettings from(EnvConfig config) {
    String kind = config.get("RELAY_ENGINE").orElse(REDIS).toLowerCase(Locale.ROOT);
    if (!kind.equals(MEMORY) && !kind.equals(REDIS)) {
      throw new ConfigException("RELAY_ENGINE must be redis or memory");
    }
    Duration retention =
        config.duration("RELAY_RETENTION", DEFAULT_RETENTION, Duration.ofMinutes(2));
    int maxRoomEvents =
        config.integer("RELAY_ROOM_MAX_EVENTS", DEFAULT_ROOM_MAX_EVENTS, 100, 1_000_000);
    if (kind.equals(MEMORY)) {
      return new EngineSettings(MEMORY, null, retention, maxRoomEvents, false);
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
    return new EngineSettings(REDIS, url, retention, maxRoomEvents, cluster);
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
        + ", retention="
        + retention
        + ", roomMaxEvents="
        + maxRoomEvents
        + "]";
  }
}
