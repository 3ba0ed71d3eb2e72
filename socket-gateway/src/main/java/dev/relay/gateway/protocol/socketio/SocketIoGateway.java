package dev.relay.gateway.protocol.socketio;

import dev.relay.engine.session.SessionStore;
import dev.relay.gateway.auth.OriginPolicy;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.transport.ConnectionAttempts;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.HttpEndpoint;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Socket.IO v4 compatibility at {@code /socket.io/} (SPEC §6): Engine.IO v4 (long-polling with
 * upgrade, WebSocket) and Socket.IO v5 on the default namespace, over the same hub and client
 * sessions as the JSON protocol. The only entry points the server wiring needs. Thread-safe.
 */
public final class SocketIoGateway {

  private final EngineIoServer engine;

  public SocketIoGateway(
      SessionServices services,
      SessionRegistry registry,
      EngineIoSettings settings,
      OriginPolicy origins,
      SessionStore sessions,
      OutboundBudget budget,
      ConnectionAttempts attempts,
      BooleanSupplier accepting) {
    SocketIoContext context =
        new SocketIoContext(
            services,
            registry,
            new SharedRecoveryStore(sessions, services.log().retention()),
            settings);
    this.engine =
        new EngineIoServer(
            settings,
            origins,
            session -> new SocketIoConnection(session, context),
            budget,
            attempts,
            accepting);
  }

  /** Handles the long-polling requests (GET, POST, OPTIONS) of {@code /socket.io/}. */
  public HttpEndpoint polling() {
    return engine;
  }

  /**
   * Takes over a WebSocket opened on {@code /socket.io/} (after the origin check); {@code query}
   * gives the first value of a query parameter, or null.
   */
  public FrameListener openWebSocket(Transport transport, Function<String, String> query) {
    return engine.openWebSocket(transport, query);
  }

  /** Open Engine.IO sessions on this gateway. */
  public int sessionCount() {
    return engine.sessionCount();
  }
}
