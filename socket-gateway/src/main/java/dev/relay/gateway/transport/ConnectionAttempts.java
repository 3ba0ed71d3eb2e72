package dev.relay.gateway.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The per-IP limit on connection attempts (SPEC §4, §10): every WebSocket upgrade and every
 * Engine.IO handshake takes one token from its client IP's bucket, before any per-connection state
 * exists. Implementations must not block and must be thread-safe.
 */
public interface ConnectionAttempts {

  /** Lets every attempt through. */
  ConnectionAttempts UNLIMITED = ip -> CompletableFuture.completedFuture(0L);

  /**
   * Completes with 0 when an attempt from {@code clientIp} may go on, else with the seconds to wait
   * (1–60) before retrying. Completes exceptionally when the limit cannot be checked.
   */
  CompletionStage<Long> attempt(String clientIp);
}
