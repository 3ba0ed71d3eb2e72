package dev.relay.gateway.protocol.socketio;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server-driven heartbeat of one Engine.IO session: a ping every {@code pingInterval}, and a
 * pong due within {@code pingTimeout} after it, else the session is aborted. The next ping is timed
 * from the pong, as in the reference server. Confined to the session's executor.
 */
final class EngineHeartbeat {

  private final ScheduledExecutorService executor;
  private final EngineIoSettings settings;
  private final Runnable ping;
  private final Runnable timedOut;
  private ScheduledFuture<?> next;
  private boolean pongDue;
  private boolean stopped;

  /**
   * @param ping sends a PING packet
   * @param timedOut ends the session: no pong in time
   */
  EngineHeartbeat(
      ScheduledExecutorService executor,
      EngineIoSettings settings,
      Runnable ping,
      Runnable timedOut) {
    this.executor = executor;
    this.settings = settings;
    this.ping = ping;
    this.timedOut = timedOut;
  }

  void start() {
    next =
        executor.schedule(
            () -> {
              if (stopped) {
                return;
              }
              pongDue = true;
              ping.run();
              next =
                  executor.schedule(
                      () -> {
                        if (pongDue && !stopped) {
                          timedOut.run();
                        }
                      },
                      settings.pingTimeout().toMillis(),
                      TimeUnit.MILLISECONDS);
            },
            settings.pingInterval().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** A PONG from the client: the next ping is scheduled from now. */
  void onPong() {
    if (pongDue && !stopped) {
      pongDue = false;
      next.cancel(false);
      start();
    }
  }

  void stop() {
    stopped = true;
    if (next != null) {
      next.cancel(false);
    }
  }
}
