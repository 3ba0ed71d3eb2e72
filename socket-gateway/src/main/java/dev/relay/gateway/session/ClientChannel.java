package dev.relay.gateway.session;

import dev.relay.gateway.hub.Delivery;
import java.util.concurrent.Executor;

/**
 * How a {@link ClientSession} reaches its client; each protocol implements it over its transport.
 * Every frame — events, replies, notices — leaves through {@link #sendEvent} or {@link #send} and
 * so through the connection's one outbound budget (SPEC §10). All methods but {@link #executor} are
 * called on {@link #executor()}.
 */
public interface ClientChannel {

  /** The single-threaded executor (the connection's event loop) that confines the session. */
  Executor executor();

  /** Writes one event in the protocol's framing. */
  void sendEvent(Delivery delivery);

  /** Writes one frame encoded by {@link #replies()}; null is ignored. */
  void send(String frame);

  /** The protocol's encoding of replies and notices. */
  ReplyCodec replies();

  /** Closes the connection with a WebSocket close code; the session is closed with it. */
  void close(int code, String reason);

  /** The session's rooms changed (joined or left); protocols that record them (Socket.IO) do. */
  default void roomsChanged() {}
}
