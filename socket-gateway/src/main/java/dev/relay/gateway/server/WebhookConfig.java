package dev.relay.gateway.server;

import dev.relay.gateway.webhook.WebhookSelection;
import dev.relay.gateway.webhook.WebhookSettings;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import java.net.URI;
import java.time.Duration;

/** Reads {@link WebhookSettings} from the environment (docs/configuration.md), failing fast. */
final class WebhookConfig {

  private WebhookConfig() {}

  /**
   * Validates {@code RELAY_WEBHOOK_EVENTS} whether or not a webhook URL is set, so a typo is
   * reported at start-up rather than when the URL is added later.
   */
  static WebhookSelection selection(EnvConfig config) {
    try {
      return WebhookSelection.parse(
          config.get("RELAY_WEBHOOK_EVENTS").orElse(WebhookSelection.DEFAULT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("RELAY_WEBHOOK_EVENTS is invalid: " + e.getMessage());
    }
  }

  static WebhookSettings from(EnvConfig config, URI url, byte[] secret) {
    return new WebhookSettings(
        url,
        secret,
        selection(config),
        config.duration("RELAY_WEBHOOK_RETRY_WINDOW", Duration.ofHours(24), Duration.ofSeconds(1)),
        config.duration("RELAY_WEBHOOK_BACKOFF", Duration.ofSeconds(1), Duration.ofMillis(10)),
        config.duration("RELAY_WEBHOOK_LEASE", Duration.ofSeconds(30), Duration.ofSeconds(1)),
        config.integer("RELAY_WEBHOOK_QUEUE_MAX", 100_000, 1, 10_000_000),
        16);
  }
}
