package dev.relay.gateway.server;

import dev.relay.contracts.schema.EventSchemaRegistry;
import dev.relay.engine.EventLog;
import dev.relay.engine.control.ControlStore;
import dev.relay.engine.presence.PresenceStore;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.revocation.RevocationStore;
import dev.relay.engine.session.SessionStore;
import dev.relay.engine.webhook.MemoryWebhookQueue;
import dev.relay.engine.webhook.RedisWebhookQueue;
import dev.relay.engine.webhook.WebhookQueue;
import dev.relay.gateway.auth.OriginPolicy;
import dev.relay.gateway.auth.TokenVerifier;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.netty.Heartbeats;
import dev.relay.gateway.netty.WebSocketUpgradeHandler;
import dev.relay.gateway.protocol.json.JsonProtocolConnection;
import dev.relay.gateway.protocol.socketio.SocketIoGateway;
import dev.relay.gateway.protocol.sse.SseEndpoint;
import dev.relay.gateway.session.ClientEventPublisher;
import dev.relay.gateway.session.ClientEventSink;
import dev.relay.gateway.session.ConnectionAdmission;
import dev.relay.gateway.session.LifecycleSink;
import dev.relay.gateway.session.RoomRemovals;
import dev.relay.gateway.session.SchemaEventValidator;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.session.StorePresenceDirectory;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.webhook.WebhookDispatcher;
import dev.relay.gateway.webhook.WebhookSettings;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.lifecycle.DrainState;
import dev.relay.service.logging.InstanceId;
import dev.relay.service.net.ClientAddress;
import dev.relay.service.ops.ReadinessCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Wires the framework-free gateway core into Micronaut. Everything here is construction; the
 * behaviour lives in the core packages.
 */
@Factory
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class GatewayFactory {

  /** One in this many socket writes (besides each event's first) is timed; see FanoutMetrics. */
  static final int WRITE_SAMPLE_EVERY = 16;

  @Context
  GatewaySettings gatewaySettings(
      EnvConfig config, @Value("${relay.dev-mode:false}") boolean devMode) {
    return GatewaySettings.from(config, devMode);
  }

  @Context
  GatewayExtras gatewayExtras(EnvConfig config) {
    return GatewayExtras.from(config);
  }

  @Singleton
  GatewayErrors gatewayErrors(MeterRegistry meters) {
    return new GatewayErrors(meters);
  }

  /**
   * The hub on the engine's feed (it follows exactly the rooms with members here), reporting its
   * fan-out to the latency histogram, the delivery span and the logs. {@link GatewayLifecycle}
   * closes it (and so the feed) last on shutdown.
   */
  @Singleton
  Hub hub(EventLog log, MeterRegistry meters, GatewayErrors errors, OpenTelemetry openTelemetry) {
    return new Hub(
        log::openFeed,
        new FanoutMetrics(meters, errors, new DeliveryTracer(openTelemetry), WRITE_SAMPLE_EVERY));
  }

  @Singleton
  TokenVerifier tokenVerifier(GatewaySettings settings, RevocationStore revocations) {
    return new TokenVerifier(
        settings.signingSecrets().bytes(),
        settings.tokenMaxLifetime(),
        settings.tokenSkew(),
        Clock.systemUTC(),
        revocations::isRevoked);
  }

  @Singleton
  SessionRegistry sessionRegistry() {
    return new SessionRegistry(Clock.systemUTC());
  }

  @Singleton
  StorePresenceDirectory presenceDirectory(
      PresenceStore store, EventLog log, EnvConfig config, Optional<WebhookDispatcher> webhook) {
    WebhookConfig.selection(config); // RELAY_WEBHOOK_EVENTS is checked even without a URL
    return new StorePresenceDirectory(
        store,
        log,
        InstanceId.current(),
        webhook.<LifecycleSink>map(w -> w).orElse(LifecycleSink.NONE));
  }

  /** The webhook queue: in Redis (shared by every gateway), or in memory on the memory engine. */
  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "relay.webhook.url")
  WebhookQueue webhookQueue(Optional<RedisConnections> redis, WebhookSettings settings) {
    return redis
        .<WebhookQueue>map(
            r -> new RedisWebhookQueue(r, settings.capacity(), WebhookSettings.DEAD_LETTERS_KEPT))
        .orElseGet(
            () ->
                new MemoryWebhookQueue(
                    settings.capacity(), WebhookSettings.DEAD_LETTERS_KEPT, Clock.systemUTC()));
  }

  @Context
  @Requires(property = "relay.webhook.url")
  WebhookSettings webhookSettings(GatewayExtras extras, EnvConfig config) {
    return WebhookConfig.from(
        config,
        extras.webhookUrl().orElseThrow(),
        extras.webhookSecret().orElseThrow().bytes().get(0));
  }

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "relay.webhook.url")
  WebhookDispatcher webhookDispatcher(WebhookQueue queue, WebhookSettings settings) {
    return new WebhookDispatcher(queue, settings, Clock.systemUTC()).start();
  }

  @Singleton
  SessionServices sessionServices(
      SessionRegistry registry,
      GatewayErrors errors,
      Hub hub,
      EventLog log,
      TokenVerifier tokens,
      RateLimiter limiter,
      StorePresenceDirectory presence,
      GatewaySettings settings,
      GatewayExtras extras,
      Optional<WebhookDispatcher> webhook,
      ControlStore control) {
    return new SessionServices(
        hub,
        log,
        tokens,
        new ConnectionAdmission(
            tokens, limiter, extras.connectLimits(), registry::connectionsOf, errors::refused),
        new ClientEventPublisher(
            log,
            new SchemaEventValidator(EventSchemaRegistry.loadDefault(), settings.strictEvents()),
            limiter,
            extras.eventLimits(),
            webhook.<ClientEventSink>map(w -> w).orElse(ClientEventSink.NONE),
            settings.limits().maxClientPayloadBytes()),
        presence,
        settings.limits(),
        Clock.systemUTC(),
        RoomRemovals.of(control));
  }

  @Singleton
  Heartbeats heartbeats(GatewaySettings settings) {
    return new Heartbeats(settings.pingInterval(), settings.idleTimeout());
  }

  /** Ready while the feed has every followed room subscribed and its store connections up. */
  @Singleton
  @Named("feed")
  ReadinessCheck feedReady(Hub hub) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "feed";
      }

      @Override
      public CompletableFuture<Boolean> check() {
        return CompletableFuture.completedFuture(hub.feed().healthy());
      }
    };
  }

  @Singleton
  OutboundBudget outboundBudget(GatewaySettings settings, Hub hub) {
    return new OutboundBudget(settings.maxOutboundBytes(), hub.observer()::slowConsumerClosed);
  }

  @Singleton
  SocketIoGateway socketIo(
      GatewaySettings settings,
      SessionServices services,
      SessionRegistry registry,
      SessionStore sessions,
      OutboundBudget budget,
      DrainState drain) {
    return new SocketIoGateway(
        services,
        registry,
        settings.socketIo(),
        new OriginPolicy(settings.allowedOrigins()),
        sessions,
        budget,
        services.admission()::attempt,
        () -> !drain.isDraining());
  }

  @Singleton
  SseEndpoint sseEndpoint(
      GatewaySettings settings,
      SessionServices services,
      SessionRegistry registry,
      DrainState drain) {
    return new SseEndpoint(
        services,
        registry,
        new OriginPolicy(settings.allowedOrigins()),
        services.admission()::attempt,
        () -> !drain.isDraining(),
        settings.sseHeartbeat());
  }

  @Singleton
  WebSocketUpgradeHandler upgradeHandler(
      GatewaySettings settings,
      GatewayExtras extras,
      SessionServices services,
      SessionRegistry registry,
      Heartbeats heartbeats,
      DrainState drain,
      SocketIoGateway socketIo,
      OutboundBudget budget) {
    WebSocketUpgradeHandler.Endpoint json =
        (transport, token, request) -> {
          JsonProtocolConnection connection =
              new JsonProtocolConnection(ConnectionIds.next(), transport, services, registry);
          connection.open(token);
          return connection;
        };
    WebSocketUpgradeHandler.Endpoint sio =
        (transport, token, request) -> {
          QueryStringDecoder uri = new QueryStringDecoder(request.uri());
          return socketIo.openWebSocket(
              transport,
              name -> {
                List<String> values = uri.parameters().get(name);
                return values == null || values.isEmpty() ? null : values.get(0);
              });
        };
    return new WebSocketUpgradeHandler(
        Map.of("/realtime", json, "/socket.io", sio),
        new OriginPolicy(settings.allowedOrigins()),
        heartbeats,
        settings.maxFrameBytes(),
        () -> !drain.isDraining(),
        new ClientAddress(extras.trustedProxies()),
        budget,
        services.admission()::attempt);
  }
}
