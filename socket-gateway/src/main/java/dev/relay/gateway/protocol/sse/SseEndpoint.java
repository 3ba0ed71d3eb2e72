package dev.relay.gateway.protocol.sse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.RoomName;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.OriginPolicy;
import dev.relay.gateway.session.Reply;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.transport.ConnectionAttempts;
import dev.relay.gateway.transport.HttpEndpoint;
import dev.relay.gateway.transport.HttpExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /realtime/sse?token=…&rooms=r1,r2} (SPEC §14): the fallback for clients whose network
 * blocks WebSocket. Before the stream opens, everything a WebSocket connection is checked for is
 * checked here, and refused with a plain HTTP answer {@code {"code":…}}: the {@code Origin} (403),
 * draining (503), the per-IP attempt limit (429 + {@code Retry-After}), the token (401; {@code
 * token_expired} also 401), every asked room against the token (403 {@code forbidden}; 400 {@code
 * invalid_message} for a bad name or more rooms than a connection may hold). Then {@link
 * SseConnection} streams. {@code Last-Event-ID} (or {@code &lastEventId=}, for a new {@code
 * EventSource}) resumes. Thread-safe; each stream is confined to its connection's event loop.
 */
public final class SseEndpoint implements HttpEndpoint {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final SessionServices services;
  private final SessionRegistry registry;
  private final OriginPolicy origins;
  private final ConnectionAttempts attempts;
  private final BooleanSupplier accepting;
  private final Duration heartbeat;

  /**
   * @param accepting false while the gateway drains: new streams get 503 at once
   * @param heartbeat how often a comment line is sent ({@code RELAY_SSE_HEARTBEAT}, 15 s)
   */
  public SseEndpoint(
      SessionServices services,
      SessionRegistry registry,
      OriginPolicy origins,
      ConnectionAttempts attempts,
      BooleanSupplier accepting,
      Duration heartbeat) {
    this.services = services;
    this.registry = registry;
    this.origins = origins;
    this.attempts = attempts;
    this.accepting = accepting;
    this.heartbeat = heartbeat;
  }

  @Override
  public void handle(HttpExchange x) {
    String origin = x.header("Origin");
    if (!origins.allows(origin)) {
      refuse(x, 403, ErrorCodes.FORBIDDEN, Map.of());
      return;
    }
    Map<String, String> cors = OriginPolicy.corsHeaders(origin);
    if (!"GET".equals(x.method())) {
      refuse(x, 405, ErrorCodes.METHOD_NOT_ALLOWED, cors);
      return;
    }
    if (!accepting.getAsBoolean()) {
      refuse(x, 503, ErrorCodes.UNAVAILABLE, cors);
      return;
    }
    Optional<List<String>> rooms = rooms(x.query("rooms"));
    if (rooms.isEmpty()) {
      refuse(x, 400, ErrorCodes.INVALID_MESSAGE, cors);
      return;
    }
    attempts
        .attempt(x.clientIp())
        .whenComplete(
            (retryAfter, failure) ->
                x.executor().execute(() -> afterAttempt(x, cors, rooms.get(), retryAfter)));
  }

  private void afterAttempt(
      HttpExchange x, Map<String, String> cors, List<String> rooms, Long retryAfter) {
    if (retryAfter == null) {
      refuse(x, 503, ErrorCodes.UNAVAILABLE, withRetry(cors, 1));
      return;
    }
    if (retryAfter > 0) {
      refuse(x, 429, ErrorCodes.RATE_LIMITED, withRetry(cors, retryAfter));
      return;
    }
    services
        .admission()
        .admit(
            token(x),
            x.executor(),
            new Reply<>() {
              @Override
              public void ok(ConnectionGrant grant) {
                open(x, cors, grant, rooms);
              }

              @Override
              public void error(String code, String detail) {
                int status =
                    switch (code) {
                      case ErrorCodes.RATE_LIMITED, ErrorCodes.LIMIT_EXCEEDED -> 429;
                      case ErrorCodes.UNAVAILABLE -> 503;
                      default -> 401;
                    };
                refuse(x, status, code, status == 429 ? withRetry(cors, 1) : cors);
              }
            });
  }

  private void open(
      HttpExchange x, Map<String, String> cors, ConnectionGrant grant, List<String> rooms) {
    long together = rooms.stream().filter(r -> !grant.autoJoin().contains(r)).count();
    if (grant.autoJoin().size() + together > services.limits().maxRoomsPerConnection()) {
      refuse(x, 400, ErrorCodes.INVALID_MESSAGE, cors); // never a stream short of a room
      return;
    }
    for (String room : rooms) {
      if (!grant.allows(RoomName.parse(room).orElseThrow())) {
        refuse(x, 403, ErrorCodes.FORBIDDEN, cors);
        return;
      }
    }
    if (!x.isOpen()) {
      return;
    }
    String lastEventId = x.header("Last-Event-ID");
    if (lastEventId == null || lastEventId.isEmpty()) {
      lastEventId = x.query("lastEventId");
    }
    Map<String, String> headers = new HashMap<>(cors);
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Cache-Control", "no-cache, no-transform");
    headers.put("X-Accel-Buffering", "no");
    SseConnection connection =
        new SseConnection(
            UUID.randomUUID().toString(), services, registry, heartbeat, x.executor());
    connection.start(
        () -> x.stream(headers, connection::onClosed),
        () -> refuse(x, 503, ErrorCodes.UNAVAILABLE, withRetry(cors, 1)),
        grant,
        rooms,
        lastEventId);
  }

  /**
   * The asked rooms, each a valid name, with the token's at most a connection's room limit (the
   * check counts the asked ones); empty when not.
   */
  private Optional<List<String>> rooms(String list) {
    List<String> rooms = new ArrayList<>();
    if (list == null || list.isEmpty()) {
      return Optional.of(rooms);
    }
    for (String text : list.split(",", -1)) {
      Optional<RoomName> room = RoomName.parse(text.strip());
      if (room.isEmpty() || rooms.size() >= services.limits().maxRoomsPerConnection()) {
        return Optional.empty();
      }
      rooms.add(room.get().toString());
    }
    return Optional.of(rooms);
  }

  private static String token(HttpExchange x) {
    String token = x.query("token");
    if (token != null) {
      return token;
    }
    String auth = x.header("Authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
        ? auth.substring(7).trim()
        : null;
  }

  private static void refuse(HttpExchange x, int status, String code, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    x.respond(status, all, JSON.objectNode().put("code", code).toString());
  }

  private static Map<String, String> withRetry(Map<String, String> headers, long seconds) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Retry-After", Long.toString(seconds));
    return all;
  }
}
