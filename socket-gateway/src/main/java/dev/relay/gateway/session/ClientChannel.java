package dev.relay.gateway.session;

import dev.relay.gateway.hub.Delivery;
import java.util.concurrent.Executor;

/** How a {@link ClientSession} reaches its client; each protocol implements it. */
public interface ClientChannel {

  /** The single-threaded executor (the connection's event loop) that confines the session. */
  Executor executor();

  /** Writes one event in the protocol's framing. Called on {@link #executor()}. */
  void sendEvent(Delivery delivery);

  /** Closes the connection with a WebSocket close code; the session is closed with it. */
  void close(int code, String reason);
}
