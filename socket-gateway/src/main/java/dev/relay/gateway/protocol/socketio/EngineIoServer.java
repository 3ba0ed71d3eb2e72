package dev.relay.gateway.protocol.socketio;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.protocol.socketio.EnginePacket;
import dev.relay.gateway.auth.OriginPolicy;
import dev.relay.gateway.transport.ConnectionAttempts;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.HttpEndpoint;
import dev.relay.gateway.transport.HttpExchange;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The Engine.IO v4 server at {@code /socket.io/}: the handshake, the long-polling requests (GET
 * polls, POST sends), WebSocket connections (new sessions, or upgrades of polling sessions with
 * {@code sid}), the {@code Origin} check on every polling request and CORS headers for allowed
 * origins. Polling requests of one session must reach this instance (sticky sessions); WebSocket
 * sessions live on one connection. Thread-safe: the session map is concurrent and each session is
 * confined to its own executor.
 *
 * <p>Error answers follow the reference server: HTTP 400 with {@code {"code":0,"message":"Transport
 * unknown"}}, {@code 1} Session ID unknown, {@code 2} Bad handshake method, {@code 3} Bad request,
 * {@code 5} Unsupported protocol version; 403 with {@code 4} Forbidden for a refused origin.
 */
public final class EngineIoServer implements HttpEndpoint {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final EngineIoSettings settings;
  private final OriginPolicy origins;
  private final Function<EngineIoSession, EngineListener> sockets;
  private final OutboundBudget budget;
  private final ConnectionAttempts attempts;
  private final BooleanSupplier accepting;
  private final ConcurrentHashMap<String, EngineIoSession> sessions = new ConcurrentHashMap<>();

  /**
   * @param sockets creates the Socket.IO side of a new session, on the session's executor
   * @param budget every session's outbound byte budget
   * @param attempts the per-IP limit on connection attempts; a handshake over it gets 429
   * @param accepting false while the gateway drains: handshakes get 503 at once
   */
  EngineIoServer(
      EngineIoSettings settings,
      OriginPolicy origins,
      Function<EngineIoSession, EngineListener> sockets,
      OutboundBudget budget,
      ConnectionAttempts attempts,
      BooleanSupplier accepting) {
    this.settings = settings;
    this.origins = origins;
    this.sockets = sockets;
    this.budget = budget;
    this.attempts = attempts;
    this.accepting = accepting;
  }

  /** Open Engine.IO sessions on this instance. */
  public int sessionCount() {
    return sessions.size();
  }

  @Override
  public void handle(HttpExchange x) {
    String origin = x.header("Origin");
    if (!origins.allows(origin)) {
      x.respond(403, EngineIoSession.TEXT, error(4, "Forbidden"));
      return;
    }
    Map<String, String> cors = OriginPolicy.corsHeaders(origin);
    if ("OPTIONS".equals(x.method())) {
      Map<String, String> headers = new HashMap<>(cors);
      headers.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      String asked = x.header("Access-Control-Request-Headers");
      headers.put("Access-Control-Allow-Headers", asked == null ? "content-type" : asked);
      headers.put("Access-Control-Max-Age", "600");
      x.respond(204, headers, "");
      return;
    }
    String refusal = checkVersionAndTransport(x.query("EIO"), x.query("transport"), "polling");
    if (refusal != null) {
      x.respond(400, withCors(cors), refusal);
      return;
    }
    String sid = x.query("sid");
    if (sid == null) {
      if (!"GET".equals(x.method())) {
        x.respond(400, withCors(cors), error(2, "Bad handshake method"));
        return;
      }
      handshake(x, cors);
      return;
    }
    EngineIoSession session = sessions.get(sid);
    if (session == null) {
      x.respond(400, withCors(cors), error(1, "Session ID unknown"));
      return;
    }
    session
        .executor()
        .execute(
            () -> {
              if ("GET".equals(x.method())) {
                session.onPollGet(x);
              } else if ("POST".equals(x.method())) {
                session.onPollPost(x);
              } else {
                x.respond(400, withCors(cors), error(3, "Bad request"));
              }
            });
  }

  /**
   * A WebSocket on {@code /socket.io/} (origin already checked by the upgrade): a new session
   * without {@code sid}, else the upgrade of that polling session. Called on the socket's loop.
   */
  public FrameListener openWebSocket(Transport transport, Function<String, String> query) {
    String refusal = checkVersionAndTransport(query.apply("EIO"), query.apply("transport"), null);
    String sid = query.apply("sid");
    if (refusal != null) {
      transport.close(1002, "bad request");
      return Ignored.INSTANCE;
    }
    if (sid == null) {
      EngineIoSession session = newSession(wsExecutor(transport), Map.of(), transport.clientIp());
      return session.openWebSocket(transport);
    }
    EngineIoSession session = sessions.get(sid);
    if (session == null) {
      transport.close(1002, "Session ID unknown");
      return Ignored.INSTANCE;
    }
    FrameListener[] listener = new FrameListener[1];
    return new FrameListener() {
      // The probe is registered on the session's executor; frames are hopped there too, in order.
      {
        session.executor().execute(() -> listener[0] = session.probe(transport));
      }

      @Override
      public void onText(String text) {
        session.executor().execute(() -> listener[0].onText(text));
      }

      @Override
      public void onBinary() {
        session.executor().execute(() -> listener[0].onBinary());
      }

      @Override
      public void onClosed() {
        session.executor().execute(() -> listener[0].onClosed());
      }
    };
  }

  /** A polling handshake: refused while draining or over the per-IP attempt limit. */
  private void handshake(HttpExchange x, Map<String, String> cors) {
    if (!accepting.getAsBoolean()) {
      x.respond(503, withCors(cors), error(3, "Server going away"));
      return;
    }
    attempts
        .attempt(x.clientIp())
        .whenComplete(
            (retryAfter, failure) -> x.executor().execute(() -> afterAttempt(x, cors, retryAfter)));
  }

  /** {@code retryAfter} is null when the limit could not be checked. */
  private void afterAttempt(HttpExchange x, Map<String, String> cors, Long retryAfter) {
    if (retryAfter == null || retryAfter > 0) {
      Map<String, String> headers = withCors(cors);
      headers.put("Retry-After", Long.toString(retryAfter == null ? 1 : retryAfter));
      if (retryAfter == null) {
        x.respond(503, headers, error(3, "Try again"));
      } else {
        x.respond(429, headers, error(3, ErrorCodes.RATE_LIMITED));
      }
    } else if (!accepting.getAsBoolean()) {
      x.respond(503, withCors(cors), error(3, "Server going away"));
    } else {
      EngineIoSession session = newSession(x.executor(), cors, x.clientIp());
      x.respond(
          200, withCors(cors), EnginePacket.open(session.handshake(List.of("websocket"))).encode());
    }
  }

  private EngineIoSession newSession(
      ScheduledExecutorService executor, Map<String, String> cors, String clientIp) {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    EngineIoSession session =
        new EngineIoSession(
            sid, settings, executor, cors, clientIp, budget, s -> sessions.remove(s.sid(), s));
    sessions.put(sid, session);
    session.start(sockets.apply(session));
    return session;
  }

  private static ScheduledExecutorService wsExecutor(Transport transport) {
    if (transport.executor() instanceof ScheduledExecutorService scheduled) {
      return scheduled;
    }
    throw new IllegalStateException("the transport's executor must be a scheduler");
  }

  private static String checkVersionAndTransport(String eio, String transport, String expected) {
    if (!"4".equals(eio)) {
      return error(5, "Unsupported protocol version");
    }
    if (transport == null
        || (expected != null && !expected.equals(transport))
        || (expected == null && !"websocket".equals(transport))) {
      return error(0, "Transport unknown");
    }
    return null;
  }

  private static Map<String, String> withCors(Map<String, String> cors) {
    Map<String, String> all = new HashMap<>(EngineIoSession.TEXT);
    all.putAll(cors);
    return all;
  }

  private static String error(int code, String message) {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }

  /** Listener of a WebSocket that was refused and is closing. */
  private enum Ignored implements FrameListener {
    INSTANCE;

    @Override
    public void onText(String text) {}

    @Override
    public void onBinary() {}

    @Override
    public void onClosed() {}
  }
}
