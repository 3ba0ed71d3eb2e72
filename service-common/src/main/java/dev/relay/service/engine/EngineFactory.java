package dev.relay.service.engine;

import dev.relay.engine.EventLog;
import dev.relay.engine.UnsupportedServerException;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the one {@link EventLog} of the process from {@link EngineSettings}: a stream per room
 * and sharded Pub/Sub on Redis 7 or later from {@code REDIS_URL} (one server, or a Redis Cluster
 * with {@code REDIS_CLUSTER=true}), or the in-memory engine when {@code relay.engine=memory} (dev
 * mode). Both are {@code @Context} beans, so a missing {@code REDIS_URL} stops start-up; the Redis
 * engine connects lazily, so a Redis that is down at start-up only makes {@code /readyz} answer
 * 503.
 *
 * <p>The Redis event log runs on the process's one Redis client, the {@link RedisConnections} bean
 * of {@link StoresFactory} (one set of Lettuce resources and one command connection for the log and
 * every store). That bean is its only owner and closes it when the context stops; the log's own
 * {@code close()} leaves it open, so nothing depends on the order the two are closed in. (The
 * upgrade bridge's {@code TailConnections} keep their own connections for blocking reads.)
 */
@Factory
public class EngineFactory {

  private static final Logger LOG = LoggerFactory.getLogger(EngineFactory.class);

  /** The most events a gateway's feed reads to repair one room's gap; more is a lost position. */
  static final int REPAIR_MAX = 10_000;

  @Context
  EngineSettings engineSettings(EnvConfig config) {
    return EngineSettings.from(config);
  }

  @Context
  @Bean(preDestroy = "close")
  EventLog eventLog(
      EngineSettings settings, EnvConfig config, Optional<RedisConnections> storeConnections) {
    LOG.info("engine: {}", settings);
    if (config.get("RELAY_PARTITIONS").isPresent()) {
      LOG.warn(
          "RELAY_PARTITIONS is no longer used: events are kept in one stream per room"
              + " (docs/upgrade.md, \"From the partitioned layout\")");
    }
    if (settings.kind().equals(EngineSettings.MEMORY)) {
      return new MemoryEventLog(
          settings.retention(), Duration.ofHours(24), settings.maxRoomEvents(), REPAIR_MAX);
    }
    RedisEventLog log =
        new RedisEventLog(
            storeConnections.orElseThrow(),
            RedisEngineSettings.defaults()
                .withRetention(settings.retention())
                .withMaxRoomEvents(settings.maxRoomEvents())
                .withCluster(settings.cluster()));
    log.connectInBackground();
    requireServerVersion(log);
    if (settings.upgradePartitions() > 0) {
      return UpgradeMirror.wrap(log, storeConnections.orElseThrow(), settings);
    }
    return log;
  }

  /**
   * Stops start-up with one clear line when the Redis answers and is older than 7.0 (sharded
   * Pub/Sub). A Redis that cannot be reached yet is not an error here: {@code /readyz} answers 503
   * until it is.
   */
  private static void requireServerVersion(RedisEventLog log) {
    try {
      log.checkServer().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnsupportedServerException unsupported) {
        log.close();
        throw new ConfigException(unsupported.getMessage());
      }
      LOG.warn("could not check the Redis version yet: {}", e.getCause().toString());
    } catch (TimeoutException e) {
      LOG.warn("could not check the Redis version yet: no answer within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
