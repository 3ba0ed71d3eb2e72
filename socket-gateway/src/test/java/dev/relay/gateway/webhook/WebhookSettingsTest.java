package dev.relay.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {

  private static WebhookSettings settings(Duration firstBackoff, Duration lease) {
    return new WebhookSettings(
        URI.create("http://127.0.0.1/hook"),
        new byte[32],
        WebhookSelection.parse("client"),
        Duration.ofHours(24),
        firstBackoff,
        lease,
        10,
        16);
  }

  @Test
  void backoffDoublesFromTheFirstWaitUpToTenMinutesWithoutOverflow() {
    WebhookSettings s = settings(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(s.backoff(10)).isEqualTo(Duration.ofSeconds(512));
    assertThat(s.backoff(11)).isEqualTo(WebhookSettings.MAX_BACKOFF);
    assertThat(s.backoff(Integer.MAX_VALUE)).isEqualTo(WebhookSettings.MAX_BACKOFF);
    assertThat(s.backoff(0)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRequestTimesOutWithinHalfTheLeaseAndAtMostTenSeconds() {
    assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(30)).requestTimeout())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(2)).requestTimeout())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theSecretIsCopiedInAndOut() {
    byte[] key = new byte[32];
    WebhookSettings s =
        new WebhookSettings(
            URI.create("http://127.0.0.1/hook"),
            key,
            WebhookSelection.parse("client"),
            Duration.ofHours(24),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            10,
            16);
    key[0] = 1;
    s.secret()[1] = 1;
    assertThat(s.secret()).containsOnly(0);
  }
}
