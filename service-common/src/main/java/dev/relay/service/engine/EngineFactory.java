package dev.relay.service.engine;

import dev.relay.engine.EventLog;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;
import dev.relay.service.config.EnvConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the one {@link EventLog} of the process from {@link EngineSettings}: Redis Streams from
 * {@code REDIS_URL} (one server, or a Redis Cluster with {@code REDIS_CLUSTER=true}), or the
 * in-memory engine when {@code relay.engine=memory} (dev mode). Both are {@code @Context} beans, so
 * a missing {@code REDIS_URL} stops start-up; the Redis engine connects lazily, so a Redis that is
 * down at start-up only makes {@code /readyz} answer 503.
 */
@Factory
public class EngineFactory {

  private static final Logger LOG = LoggerFactory.getLogger(EngineFactory.class);

  @Context
  EngineSettings engineSettings(EnvConfig config) {
    return EngineSettings.from(config);
  }

  @Context
  @Bean(preDestroy = "close")
  EventLog eventLog(EngineSettings settings) {
    LOG.info("engine: {}", settings);
    if (settings.kind().equals(EngineSettings.MEMORY)) {
      return new MemoryEventLog(settings.partitions(), settings.retention());
    }
    RedisEventLog log =
        new RedisEventLog(
            settings.redisUrl(),
            RedisEngineSettings.defaults()
                .withPartitions(settings.partitions())
                .withRetention(settings.retention())
                .withCluster(settings.cluster()));
    log.connectInBackground();
    return log;
  }
}
