package dev.relay.gateway.transport;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The wire under one client connection (a WebSocket). Protocol adapters write through it and never
 * see Netty. Every method must be called on {@link #executor()} except {@link #executor()} itself.
 *
 * <p>Every frame passes the connection's {@link OutboundBudget}: a frame that would queue more than
 * the budget is not written, and the connection is closed with {@code 1013} instead (counted and
 * logged once). So a client that stops reading costs at most the budget, never more, and is not
 * silently skipped: it reconnects and recovers.
 */
public interface Transport {

  /**
   * The client's IP address: the peer address, or the forwarded one when the peer is a trusted
   * proxy. Used for per-IP limits; never logged with identity data.
   */
  String clientIp();

  /** The connection's event loop: single-threaded, ordered. */
  Executor executor();

  /**
   * Writes one text frame, already UTF-8 encoded, within the outbound budget (see the class
   * comment). Dropped if the connection is closing or closed. The array must not be modified
   * afterwards: an implementation may share what it builds from it with other connections.
   */
  void sendText(byte[] utf8);

  void sendText(String text);

  /**
   * Sends a close frame with {@code code} and closes the connection. Idempotent. The connection is
   * torn down within {@link OutboundBudget#CLOSE_GRACE} even if the peer never reads; nothing the
   * peer sends after this is handled.
   */
  void close(int code, String reason);

  /** Runs {@code task} on the executor after {@code delay}, unless the connection closed. */
  void schedule(Runnable task, Duration delay);
}
