package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.gateway.it.GatewayFixture;
import dev.relay.testkit.WsTestClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The JSON protocol at {@code /realtime} through the testkit's {@link WsTestClient}. Every request
 * carries a {@code ref}, and the message echoing it is its answer; messages without a {@code ref}
 * are the server's own (welcome, events, {@code unsubscribed} on refresh, errors about the
 * connection).
 */
final class JsonKitClient extends KitClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ANSWERS =
      Set.of("subscribed", "unsubscribed", "ack", "presence", "refreshed", "error");
  private static final Duration SLICE = Duration.ofMillis(50);

  private final GatewayFixture gw;
  private final WsTestClient socket;
  private int refs;
  private boolean closedSeen;

  private JsonKitClient(GatewayFixture gw, WsTestClient socket) {
    this.gw = gw;
    this.socket = socket;
  }

  /** Opens a socket with {@code query} without waiting for anything. */
  static JsonKitClient open(GatewayFixture gw, String query) {
    return new JsonKitClient(gw, WsTestClient.connect(gw.wsUrl(query)));
  }

  /** Connects with the token in the query and waits for {@code welcome}. */
  static JsonKitClient connect(GatewayFixture gw, String token) {
    JsonKitClient client = open(gw, "?token=" + token);
    client.welcome();
    return client;
  }

  /** Connects without a token, then authenticates with the first message. */
  static JsonKitClient connectLater(GatewayFixture gw, String token) {
    JsonKitClient client = open(gw, "");
    client.sendRaw(json(Map.of("type", "auth", "token", token)));
    client.welcome();
    return client;
  }

  /** Waits for {@code welcome} and records its rooms. */
  JsonNode welcome() {
    JsonNode welcome = expectPush("welcome");
    welcome.path("rooms").forEach(r -> rooms.add(r.asText()));
    return welcome;
  }

  @Override
  public Protocol protocol() {
    return Protocol.JSON;
  }

  @Override
  Incoming read(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      JsonNode m = socket.poll(SLICE);
      if (m != null) {
        return decode(m);
      }
      if (socket.isClosed() && !closedSeen) {
        closedSeen = true;
        return Incoming.closed(socket.closeCode());
      }
      if (System.nanoTime() >= deadline) {
        return null;
      }
    }
  }

  private static Incoming decode(JsonNode m) {
    String type = m.path("type").asText();
    if ("event".equals(type)) {
      return Incoming.event(m.get("event"));
    }
    if (m.hasNonNull("ref") && ANSWERS.contains(type)) {
      boolean ok = !"error".equals(type);
      return Incoming.reply(
          m.get("ref").asText(), new Answer(ok, ok ? null : m.path("code").asText(), m));
    }
    return Incoming.push(type, m);
  }

  private Answer request(ObjectNode message) {
    String ref = "k" + ++refs;
    message.put("ref", ref);
    socket.send(message.toString());
    return awaitReply(ref);
  }

  private static ObjectNode message(String type, Object... keysAndValues) {
    ObjectNode m = JSON.createObjectNode().put("type", type);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        m.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
      }
    }
    return m;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Answer subscribe(String room, String subscriptionToken, String since, Object history) {
    return track(
        "subscribe",
        request(
            message(
                "subscribe",
                "room",
                room,
                "token",
                subscriptionToken,
                "since",
                since,
                "history",
                history)));
  }

  @Override
  public Answer unsubscribe(String room) {
    return track("unsubscribe", request(message("unsubscribe", "room", room)));
  }

  @Override
  public Answer publish(String room, String event, Map<String, ?> payload) {
    return request(message("publish", "room", room, "event", event, "payload", payload));
  }

  @Override
  public Answer presence(String room) {
    return request(message("presence", "room", room));
  }

  @Override
  public Answer setPresence(String room, Object state) {
    return request(message("presence.set", "room", room, "state", state));
  }

  @Override
  public Answer refresh(String token) {
    return request(message("refresh", "token", token));
  }

  @Override
  public void sendRaw(String frame) {
    socket.send(frame);
  }

  @Override
  public void stopReading() {
    socket.pauseReading();
  }

  @Override
  public void resumeReading() {
    socket.resumeReading();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public void drop() {
    socket.close();
  }

  @Override
  public Resumed resume(String token, GatewayFixture elsewhere) {
    JsonKitClient next = connect(elsewhere == null ? gw : elsewhere, token);
    boolean recovered = true;
    for (String room : rooms) {
      String since = lastIds.get(room);
      if (since == null && next.rooms.contains(room)) {
        continue;
      }
      Answer answer = next.subscribe(room, null, since);
      recovered &= answer.ok() && (since == null || Boolean.TRUE.equals(answer.recovered()));
    }
    next.lastIds.putAll(lastIds);
    return new Resumed(next, recovered);
  }

  @Override
  public void close() {
    socket.close();
  }
}
