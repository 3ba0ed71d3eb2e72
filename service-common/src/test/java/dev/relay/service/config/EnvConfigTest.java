package dev.relay.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.service.engine.EngineSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvConfigTest {

  private static EnvConfig config(Map<String, String> properties) {
    return new EnvConfig(name -> Optional.ofNullable(properties.get(name)));
  }

  @Test
  void readsVariablesThroughTheirPropertyNames() {
    assertThat(EnvConfig.propertyName("RELAY_API_KEY")).isEqualTo("relay.api.key");
    EnvConfig config =
        config(Map.of("relay.room.max.events", " 320 ", "relay.strict.events", "yes"));
    assertThat(config.integer("RELAY_ROOM_MAX_EVENTS", 16, 1, 1024)).isEqualTo(320);
    assertThat(config.flag("RELAY_STRICT_EVENTS", false)).isTrue();
    assertThat(config.get("RELAY_MISSING")).isEmpty();
  }

  @Test
  void badValuesNameTheVariable() {
    EnvConfig config =
        config(
            Map.of(
                "relay.room.max.events",
                "0",
                "relay.strict.events",
                "maybe",
                "relay.retention",
                "1m"));
    assertThatThrownBy(() -> config.integer("RELAY_ROOM_MAX_EVENTS", 16, 1, 1024))
        .hasMessage("RELAY_ROOM_MAX_EVENTS must be a whole number between 1 and 1024");
    assertThatThrownBy(() -> config.flag("RELAY_STRICT_EVENTS", false))
        .hasMessage("RELAY_STRICT_EVENTS must be true or false");
    assertThatThrownBy(
            () -> config.duration("RELAY_RETENTION", Duration.ofMinutes(5), Duration.ofMinutes(2)))
        .hasMessageStartingWith("RELAY_RETENTION must be a duration of at least PT2M");
  }

  @Test
  void parsesDurations() {
    assertThat(EnvConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(EnvConfig.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(EnvConfig.parseDuration("2H")).isEqualTo(Duration.ofHours(2));
    assertThat(EnvConfig.parseDuration("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(EnvConfig.parseDuration("soon")).isNull();
  }

  @Test
  void secretsAreValidatedAndNeverPrinted() {
    String key = "k".repeat(31) + "SECRET";
    SecretKeys keys =
        config(Map.of("relay.api.key", key + " , " + key + "2")).secrets("RELAY_API_KEY", 32);
    assertThat(keys.values()).containsExactly(key, key + "2");
    assertThat(keys.toString()).doesNotContain("SECRET").contains("2 key(s)");

    assertThatThrownBy(() -> config(Map.of()).secrets("RELAY_API_KEY", 32))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "RELAY_API_KEY is required: set it to one or more comma-separated keys of at least 32"
                + " characters");
    assertThatThrownBy(
            () -> config(Map.of("relay.api.key", key + ",short")).secrets("RELAY_API_KEY", 32))
        .hasMessageStartingWith("RELAY_API_KEY key #2 is too short")
        .hasMessageNotContaining("short,");
    assertThatThrownBy(
            () -> config(Map.of("relay.api.key", key + ",,")).secrets("RELAY_API_KEY", 32))
        .hasMessageStartingWith("RELAY_API_KEY contains an empty key");
  }

  @Test
  void engineSettingsRequireRedisUrlUnlessMemory() {
    assertThatThrownBy(() -> EngineSettings.from(config(Map.of())))
        .hasMessageStartingWith("REDIS_URL is required: ");
    assertThatThrownBy(() -> EngineSettings.from(config(Map.of("redis.url", "http://x"))))
        .hasMessage("REDIS_URL must start with redis:// or rediss://");

    EngineSettings memory = EngineSettings.from(config(Map.of("relay.engine", "memory")));
    assertThat(memory.kind()).isEqualTo("memory");
    assertThat(memory.maxRoomEvents()).isEqualTo(10_000);
    assertThat(memory.retention()).isEqualTo(Duration.ofMinutes(5));

    EngineSettings redis =
        EngineSettings.from(
            config(
                Map.of("redis.url", "redis://user:hunter2@cache:6379", "relay.retention", "10m")));
    assertThat(redis.retention()).isEqualTo(Duration.ofMinutes(10));
    assertThat(redis.toString()).contains("cache").doesNotContain("hunter2");
  }
}
