package dev.relay.service.engine;

import dev.relay.engine.control.ControlStore;
import dev.relay.engine.control.MemoryControlStore;
import dev.relay.engine.control.RedisControlStore;
import dev.relay.engine.presence.MemoryPresenceStore;
import dev.relay.engine.presence.PresenceStore;
import dev.relay.engine.presence.RedisPresenceStore;
import dev.relay.engine.ratelimit.MemoryRateLimiter;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.engine.ratelimit.RedisRateLimiter;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.revocation.MemoryRevocationStore;
import dev.relay.engine.revocation.RedisRevocationStore;
import dev.relay.engine.revocation.RevocationStore;
import dev.relay.engine.session.MemorySessionStore;
import dev.relay.engine.session.RedisSessionStore;
import dev.relay.engine.session.SessionStore;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.control.ServerControl;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared stores next to the event log (presence, recovery sessions, revocations, server-side
 * control, rate limits): in memory for the memory engine, otherwise on the same Redis (or Redis
 * Cluster) through one shared set of connections, the same the Redis event log uses ({@link
 * EngineFactory}): one Lettuce client per process. Created lazily, so a service only connects for
 * the stores it uses.
 */
@Factory
public class StoresFactory {

  private static final Logger LOG = LoggerFactory.getLogger(StoresFactory.class);

  /**
   * The one Redis client of the process, for the event log and every store; no such bean on the
   * memory engine. Its only owner: closed here (the event log and stores do not close it). Its I/O
   * runs on the HTTP server's event loops ({@link ServerLoops}: Micronaut's default group, created
   * here if the server has not yet), so a publish or a delivered event is not handed between
   * threads; a bean that depends on those loops is closed before they stop. Without a Netty server
   * (AWS Lambda) Lettuce keeps its own threads.
   */
  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "relay.engine", notEquals = EngineSettings.MEMORY)
  RedisConnections storeConnections(EngineSettings settings, Optional<ServerLoops> loops) {
    RedisConnections redis =
        new RedisConnections(
            settings.redisUrl(),
            settings.cluster(),
            RedisEngineSettings.defaults().commandTimeout(),
            loops.map(ServerLoops::group).orElse(null));
    LOG.info(
        "redis I/O: {}",
        redis.sharesLoops() ? "on the server's event loops" : "on its own threads");
    return redis;
  }

  @Singleton
  @Bean(preDestroy = "close")
  PresenceStore presenceStore(
      Optional<RedisConnections> redis, EngineSettings settings, EnvConfig config) {
    Duration ttl =
        config.duration("RELAY_PRESENCE_TTL", Duration.ofSeconds(30), Duration.ofSeconds(3));
    return redis
        .<PresenceStore>map(r -> new RedisPresenceStore(r, ttl))
        .orElseGet(() -> new MemoryPresenceStore(ttl));
  }

  @Singleton
  @Bean(preDestroy = "close")
  SessionStore sessionStore(Optional<RedisConnections> redis) {
    return redis.<SessionStore>map(RedisSessionStore::new).orElseGet(MemorySessionStore::new);
  }

  @Singleton
  @Bean(preDestroy = "close")
  RevocationStore revocationStore(Optional<RedisConnections> redis) {
    return redis
        .<RevocationStore>map(RedisRevocationStore::new)
        .orElseGet(MemoryRevocationStore::new);
  }

  /**
   * Removals from rooms are kept as long as a token issued before one can still be accepted: {@code
   * RELAY_TOKEN_MAX_LIFETIME} plus {@code RELAY_TOKEN_SKEW} (the gateway's settings of the same
   * names; publish-api reads them here too, so set them alike on both).
   */
  @Singleton
  @Bean(preDestroy = "close")
  ControlStore controlStore(Optional<RedisConnections> redis, EnvConfig config) {
    Duration keep =
        config
            .duration("RELAY_TOKEN_MAX_LIFETIME", Duration.ofSeconds(300), Duration.ofSeconds(10))
            .plus(config.duration("RELAY_TOKEN_SKEW", Duration.ofSeconds(30), Duration.ZERO));
    return redis
        .<ControlStore>map(r -> new RedisControlStore(r, keep, Duration.ofSeconds(60)))
        .orElseGet(() -> new MemoryControlStore(keep));
  }

  /** Server-side control over the shared stores, for publish-api and the admin API. */
  @Singleton
  ServerControl serverControl(PresenceStore presence, ControlStore control) {
    return new ServerControl(presence, control);
  }

  @Singleton
  @Bean(preDestroy = "close")
  RateLimiter rateLimiter(Optional<RedisConnections> redis) {
    return redis.<RateLimiter>map(RedisRateLimiter::new).orElseGet(MemoryRateLimiter::new);
  }
}
