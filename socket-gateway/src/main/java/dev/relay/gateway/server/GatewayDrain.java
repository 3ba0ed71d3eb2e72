package dev.relay.gateway.server;

import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.StorePresenceDirectory;
import dev.relay.service.lifecycle.Drainable;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the gateway on SIGTERM (SPEC §8): new connections are already refused (the upgrade handler
 * checks {@link dev.relay.service.lifecycle.DrainState}); existing ones are closed with 1001 spread
 * evenly over the drain window ({@code RELAY_DRAIN_WINDOW}, 10 s), so their clients reconnect to
 * other instances gradually instead of all at once, and recover what they missed. Socket.IO
 * connections are closed at the transport without a DISCONNECT packet, so the stock client
 * reconnects and recovers.
 */
@Singleton
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class GatewayDrain implements Drainable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayDrain.class);
  private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final SessionRegistry sessions;
  private final StorePresenceDirectory presence;
  private final Duration window;

  public GatewayDrain(
      SessionRegistry sessions, StorePresenceDirectory presence, GatewaySettings settings) {
    this.sessions = sessions;
    this.presence = presence;
    this.window = settings.drainWindow();
  }

  @Override
  public void drain(Duration budget) {
    List<SessionRegistry.Entry> open = new ArrayList<>(sessions.all());
    Duration spread = window.compareTo(budget) < 0 ? window : budget;
    LOG.info("draining {} connections over {}", open.size(), spread);
    long start = System.nanoTime();
    int closed = 0;
    while (closed < open.size()) {
      double elapsed = (double) (System.nanoTime() - start) / Math.max(1, spread.toNanos());
      int due = (int) Math.min(open.size(), Math.ceil(open.size() * Math.min(1.0, elapsed)));
      for (; closed < Math.max(due, 1) && closed < open.size(); closed++) {
        SessionRegistry.Entry e = open.get(closed);
        e.channel()
            .executor()
            .execute(() -> e.channel().close(CloseCodes.GOING_AWAY, "server going away"));
      }
      LockSupport.parkNanos(STEP_NANOS);
    }
    long deadline = start + budget.toNanos();
    while (sessions.size() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(STEP_NANOS);
    }
    LOG.info("drained; {} connections left", sessions.size());
    // Departures wait a second before they are announced (presence pacing): announce the last
    // ones now, while the engine is still open.
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    try {
      presence.flushPending().get(left, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("presence departures not all announced: {}", e.toString());
    }
  }
}
