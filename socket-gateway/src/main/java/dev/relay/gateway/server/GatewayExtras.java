package dev.relay.gateway.server;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.gateway.session.ClientEventLimits;
import dev.relay.gateway.session.ConnectionAdmission;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.config.SecretKeys;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's security and integration settings, validated at start-up (docs/configuration.md).
 *
 * @param trustedProxies {@code RELAY_TRUSTED_PROXIES}: peers whose X-Forwarded-For is believed
 * @param connectLimits {@code RELAY_CONNECT_LIMIT_PER_IP} (600/min), {@code
 *     RELAY_CONNECT_LIMIT_PER_SUB} (30/min), {@code RELAY_MAX_CONNECTIONS_PER_SUB} (100 open per
 *     gateway)
 * @param eventLimits {@code RELAY_CLIENT_EVENT_LIMITS} ({@value ClientEventLimits#DEFAULTS})
 * @param webhookUrl {@code RELAY_WEBHOOK_URL}, or empty
 * @param webhookSecret {@code RELAY_WEBHOOK_SECRET}: required (≥ 32 bytes) with a webhook URL
 * @param adminApiKey {@code ADMIN_API_KEY}: without it, {@code /admin/*} is off
 */
public record GatewayExtras(
    List<String> trustedProxies,
    ConnectionAdmission.Limits connectLimits,
    ClientEventLimits eventLimits,
    Optional<URI> webhookUrl,
    Optional<SecretKeys> webhookSecret,
    Optional<SecretKeys> adminApiKey) {

  public static GatewayExtras from(EnvConfig config) {
    List<String> proxies = config.list("RELAY_TRUSTED_PROXIES");
    ConnectionAdmission.Limits defaults = ConnectionAdmission.Limits.defaults();
    ConnectionAdmission.Limits connect =
        new ConnectionAdmission.Limits(
            rate(config, "RELAY_CONNECT_LIMIT_PER_IP", defaults.perIp()),
            rate(config, "RELAY_CONNECT_LIMIT_PER_SUB", defaults.perSub()),
            config.integer(
                "RELAY_MAX_CONNECTIONS_PER_SUB", defaults.maxOpenPerSub(), 1, 1_000_000));
    ClientEventLimits events;
    try {
      events =
          ClientEventLimits.parse(
              config.get("RELAY_CLIENT_EVENT_LIMITS").orElse(ClientEventLimits.DEFAULTS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("RELAY_CLIENT_EVENT_LIMITS is invalid: " + e.getMessage());
    }
    Optional<URI> webhook = config.get("RELAY_WEBHOOK_URL").map(GatewayExtras::webhookUri);
    Optional<SecretKeys> webhookSecret =
        webhook.isPresent()
            ? Optional.of(config.secrets("RELAY_WEBHOOK_SECRET", 32))
            : Optional.empty();
    Optional<SecretKeys> admin =
        config.get("ADMIN_API_KEY").isPresent()
            ? Optional.of(config.secrets("ADMIN_API_KEY", 32))
            : Optional.empty();
    return new GatewayExtras(proxies, connect, events, webhook, webhookSecret, admin);
  }

  private static Limit rate(EnvConfig config, String variable, Limit fallback) {
    Optional<String> raw = config.get(variable);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      return Limit.parse(raw.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + " must be a rate such as 30/min");
    }
  }

  private static URI webhookUri(String raw) {
    try {
      URI uri = URI.create(raw);
      if (uri.getHost() != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new ConfigException("RELAY_WEBHOOK_URL must be an http:// or https:// URL");
  }
}
