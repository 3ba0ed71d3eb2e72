package dev.relay.gateway.server;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.control.ControlStore;
import dev.relay.engine.presence.PresenceStore;
import dev.relay.engine.revocation.RevocationStore;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.netty.Heartbeats;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.ControlApplier;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.StorePresenceDirectory;
import dev.relay.gateway.webhook.WebhookDispatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway's background work when the context starts and stops it on shutdown, closing
 * the hub's feed last (after the drain closed the connections); the revocation store (a revoked
 * {@code jti} closes its live connections with 4001 on every instance); the control store (SPEC
 * §11: removals from rooms and disconnects of users, applied to this gateway's connections); and
 * one sweeper thread that every second closes expired tokens and pings silent connections, renews
 * this instance's presence heartbeat, and sweeps the members of crashed instances. Registers the
 * gateway's metrics.
 */
@Singleton
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class GatewayLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayLifecycle.class);

  private final Hub hub;
  private final SessionRegistry sessions;
  private final Heartbeats heartbeats;
  private final StorePresenceDirectory presence;
  private final RevocationStore revocations;
  private final ControlStore control;
  private final long presenceBeatEveryTicks;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-sweeper");
            t.setDaemon(true);
            return t;
          });
  private long ticks;

  public GatewayLifecycle(
      SessionRegistry sessions,
      Heartbeats heartbeats,
      StorePresenceDirectory presence,
      PresenceStore presenceStore,
      RevocationStore revocations,
      ControlStore control,
      Hub hub,
      Optional<WebhookDispatcher> webhook,
      MeterRegistry meters) {
    this.hub = hub;
    this.sessions = sessions;
    this.heartbeats = heartbeats;
    this.presence = presence;
    this.revocations = revocations;
    this.control = control;
    // Heartbeat three times per TTL, so one late beat never makes this instance look dead.
    this.presenceBeatEveryTicks = Math.max(1, presenceStore.instanceTtl().toSeconds() / 3);
    Gauge.builder("relay_connected_clients", sessions, SessionRegistry::size)
        .description("Authenticated client connections on this gateway")
        .register(meters);
    Gauge.builder("relay_rooms", hub, Hub::roomCount)
        .description("Rooms with at least one connection on this gateway")
        .register(meters);
    FunctionCounter.builder("relay_events_delivered", hub, Hub::deliveredCount)
        .description("Events handed to client connections")
        .register(meters);
    FunctionCounter.builder("relay_engine_events_received", hub, h -> h.feed().eventsReceived())
        .description("Events this gateway read from the engine, all rooms (live and repair reads)")
        .register(meters);
    Gauge.builder("relay_engine_followed_rooms", hub, h -> h.feed().followedRooms())
        .description("Rooms this gateway follows in the engine (those with members here)")
        .register(meters);
    // Registered with or without a webhook, so the series exist (at zero) in every mode. The
    // counters observe this singleton (meters hold only a weak reference to what they observe).
    Map<String, ToLongFunction<WebhookDispatcher>> webhookResults =
        Map.of(
            "delivered", WebhookDispatcher::delivered,
            "failed_attempt", WebhookDispatcher::failedAttempts,
            "dead_lettered", WebhookDispatcher::deadLettered,
            "dropped", WebhookDispatcher::dropped);
    webhookResults.forEach(
        (result, count) ->
            FunctionCounter.builder(
                    "relay_webhook_deliveries",
                    this,
                    self -> webhook.map(count::applyAsLong).orElse(0L))
                .description("Webhook deliveries by outcome")
                .tag("result", result)
                .register(meters));
    Gauge.builder(
            "relay_webhook_dead_letters",
            this,
            self -> webhook.map(WebhookDispatcher::deadLetterTotal).orElse(0L))
        .description("Webhooks ever dead-lettered, by every gateway (read from the queue)")
        .register(meters);
  }

  @EventListener
  void onStartup(StartupEvent event) {
    revocations.addListener(
        jti ->
            sessions.closeWhere(
                e -> e.session().usedToken(jti), CloseCodes.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED));
    revocations
        .start()
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warn("revocation list not loaded yet: {}", failure.toString());
              }
            });
    control.addListener(new ControlApplier(sessions));
    control
        .start()
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.warn("control records not loaded yet: {}", failure.toString());
              }
            });
    sweeper.scheduleWithFixedDelay(this::sweep, 0, 1, TimeUnit.SECONDS);
  }

  @EventListener
  void onShutdown(ShutdownEvent event) {
    sweeper.shutdownNow();
    hub.close(); // the feed, last: connections were drained while it still delivered
  }

  private void sweep() {
    try {
      sessions.expireTokens();
      heartbeats.sweep();
      if (ticks++ % presenceBeatEveryTicks == 0) {
        presence
            .heartbeat()
            .thenCompose(
                alive -> {
                  if (!alive) {
                    for (SessionRegistry.Entry e : sessions.all()) {
                      e.channel().executor().execute(e.session()::rejoinPresence);
                    }
                  }
                  return presence.sweep(100);
                })
            .whenComplete(
                (swept, failure) -> {
                  if (failure != null) {
                    LOG.debug("presence heartbeat failed: {}", failure.toString());
                  }
                });
      }
    } catch (RuntimeException e) {
      LOG.warn("sweep failed", e);
    }
  }
}
