package dev.relay.service.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntakeSettingsTest {

  private static IntakeSettings from(Map<String, String> properties) {
    return IntakeSettings.from(new EnvConfig(name -> Optional.ofNullable(properties.get(name))));
  }

  @Test
  void requestTimeoutDefaultsToTenSeconds() {
    assertThat(from(Map.of()).requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(from(Map.of("relay.request.timeout", "2s")).requestTimeout())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aTimeoutTooShortOrUnreadableStopsStartUpNamingTheVariable() {
    for (String bad : new String[] {"100ms", "soon", "0s"}) {
      assertThatThrownBy(() -> from(Map.of("relay.request.timeout", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("RELAY_REQUEST_TIMEOUT must be a duration");
    }
  }
}
