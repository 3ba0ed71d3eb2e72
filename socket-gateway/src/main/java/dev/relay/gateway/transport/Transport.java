package dev.relay.gateway.transport;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The wire under one client connection (a WebSocket). Protocol adapters write through it and never
 * see Netty. Every method must be called on {@link #executor()} except {@link #executor()} itself.
 */
public interface Transport {

  /**
   * The client's IP address: the peer address, or the forwarded one when the peer is a trusted
   * proxy. Used for per-IP limits; never logged with identity data.
   */
  String clientIp();

  /** The connection's event loop: single-threaded, ordered. */
  Executor executor();

  /** Writes one text frame, already UTF-8 encoded. Drops it if the connection is closed. */
  void sendText(byte[] utf8);

  void sendText(String text);

  /**
   * False while the peer reads slower than we write and the outbound buffer is past its high-water
   * mark; a protocol then closes the connection rather than let memory grow or drop events.
   */
  boolean isWritable();

  /** Sends a close frame with {@code code} and closes the connection. Idempotent. */
  void close(int code, String reason);

  /** Runs {@code task} on the executor after {@code delay}, unless the connection closed. */
  void schedule(Runnable task, Duration delay);
}
