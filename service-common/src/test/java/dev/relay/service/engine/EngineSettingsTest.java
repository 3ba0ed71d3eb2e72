package dev.relay.service.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.service.config.EnvConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {

  private static EngineSettings from(Map<String, String> properties) {
    return EngineSettings.from(new EnvConfig(name -> Optional.ofNullable(properties.get(name))));
  }

  @Test
  void oneRedisServerUnlessRedisClusterIsSet() {
    assertThat(from(Map.of("redis.url", "redis://cache:6379/3")).cluster()).isFalse();
  }

  @Test
  void redisClusterTrueMakesTheUrlASeedNode() {
    EngineSettings settings =
        from(Map.of("redis.url", "redis://node-1:7000", "redis.cluster", "true"));

    assertThat(settings.cluster()).isTrue();
    assertThat(settings.toString()).contains("redis-cluster=node-1");
  }

  @Test
  void aClusterUrlMayNotNameADatabase() {
    assertThatThrownBy(
            () -> from(Map.of("redis.url", "redis://node-1:7000/2", "redis.cluster", "true")))
        .hasMessageStartingWith("REDIS_URL must not name a database with REDIS_CLUSTER=true");
    assertThat(
            from(Map.of("redis.url", "redis://node-1:7000/0", "redis.cluster", "true")).cluster())
        .isTrue();
  }
}
