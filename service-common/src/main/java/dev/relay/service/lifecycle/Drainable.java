package dev.relay.service.lifecycle;

import java.time.Duration;

/**
 * A part of a service that must wind down before the HTTP server stops on SIGTERM (the gateway
 * closes its connections with 1001 so clients reconnect elsewhere). Framework-free: expose an
 * implementation as a bean and {@link dev.relay.service.ServiceMain} calls it.
 */
public interface Drainable {

  /** Blocks until drained or {@code budget} has passed. Must not throw. */
  void drain(Duration budget);
}
