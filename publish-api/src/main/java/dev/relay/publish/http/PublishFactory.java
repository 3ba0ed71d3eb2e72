package dev.relay.publish.http;

import dev.relay.contracts.schema.EventSchemaRegistry;
import dev.relay.engine.EventLog;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.events.AnswerDeadlines;
import dev.relay.publish.events.EventParser;
import dev.relay.publish.events.EventSchemas;
import dev.relay.publish.events.PublishMetrics;
import dev.relay.publish.events.PublishSettings;
import dev.relay.publish.events.Publisher;
import dev.relay.publish.events.RegistryEventSchemas;
import dev.relay.publish.history.RoomHistoryReader;
import dev.relay.publish.ratelimit.PublishRateLimiter;
import dev.relay.publish.ratelimit.StorePublishRateLimiter;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.net.ClientAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Wires the framework-free publish classes. Off when {@code relay.publish.enabled=false} (the
 * gateway's role). {@link PublishSettings} is a {@code @Context} bean, so a missing or weak {@code
 * RELAY_API_KEY} stops start-up.
 */
@Factory
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class PublishFactory {

  @Context
  PublishSettings publishSettings(EnvConfig config) {
    return PublishSettings.from(config);
  }

  @Singleton
  PublishAuthenticator publishAuthenticator(PublishSettings settings) {
    return new PublishAuthenticator(settings.apiKeys().bytes(), Clock.systemUTC());
  }

  /**
   * Per-IP and per-room publish limits shared by all instances: {@code RELAY_PUBLISH_LIMIT_PER_IP}
   * (1000/s, leased locally in small parts), {@code RELAY_PUBLISH_LIMIT_PER_ROOM} (100/s) with
   * bursts of {@code RELAY_PUBLISH_BURST_PER_ROOM} (200), taken in the append.
   */
  @Singleton
  PublishRateLimiter publishRateLimiter(EnvConfig config, RateLimiter limiter, EventLog eventLog) {
    Limit perIp = rate(config, "RELAY_PUBLISH_LIMIT_PER_IP", "1000/s");
    Limit perRoom =
        rate(config, "RELAY_PUBLISH_LIMIT_PER_ROOM", "100/s")
            .withBurst(config.integer("RELAY_PUBLISH_BURST_PER_ROOM", 200, 1, 1_000_000));
    return new StorePublishRateLimiter(limiter, perIp, perRoom, eventLog);
  }

  private static Limit rate(EnvConfig config, String variable, String fallback) {
    try {
      return Limit.parse(config.get(variable).orElse(fallback));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + " must be a rate such as 100/s");
    }
  }

  @Singleton
  ClientAddress clientAddress(EnvConfig config) {
    return new ClientAddress(config.list("RELAY_TRUSTED_PROXIES"));
  }

  /** Eager, so its meters exist at zero from start-up, before the first request. */
  @Context
  PublishMetrics publishMetrics(MeterRegistry registry) {
    return new PublishMetrics(registry);
  }

  @Singleton
  EventSchemas eventSchemas() {
    return new RegistryEventSchemas(EventSchemaRegistry.loadDefault());
  }

  @Singleton
  EventParser eventParser(PublishSettings settings, EventSchemas schemas) {
    return new EventParser(schemas, settings.maxPayloadBytes(), settings.strictEvents());
  }

  @Singleton
  Publisher publisher(
      PublishSettings settings,
      PublishAuthenticator authenticator,
      EventParser parser,
      PublishRateLimiter rateLimiter,
      EventLog eventLog,
      PublishMetrics metrics,
      AnswerDeadlines deadlines) {
    return new Publisher(
        settings, authenticator, parser, rateLimiter, eventLog, metrics, deadlines);
  }

  /** The publish deadline timers; closed with the context. */
  @Singleton
  @Bean(preDestroy = "close")
  AnswerDeadlines answerDeadlines() {
    return new AnswerDeadlines(Publisher.ANSWER_DEADLINE);
  }

  @Singleton
  RoomHistoryReader roomHistoryReader(PublishAuthenticator authenticator, EventLog eventLog) {
    return new RoomHistoryReader(authenticator, eventLog);
  }
}
