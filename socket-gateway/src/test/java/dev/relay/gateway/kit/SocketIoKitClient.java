package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.gateway.it.GatewayFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * A small Socket.IO v5 client (default namespace) over {@link EngineIoSocket}: CONNECT {@code
 * 40{"token"}} (plus {@code pid} and {@code offset} when resuming), requests as {@code
 * 42<id>["name",{…}]} answered by {@code 43<id>[{ok,…}]}, server events {@code 42["event",
 * envelope, offset]}. Like the stock client it keeps the {@code pid} of the CONNECT reply and the
 * last string argument of every event as the offset, and reports {@code recovered} when a resumed
 * CONNECT is answered with the same {@code pid}.
 */
final class SocketIoKitClient extends KitClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayFixture gw;
  private final EngineIoSocket socket;
  private String pid;
  private String offset;
  private long acks;

  private SocketIoKitClient(GatewayFixture gw, EngineIoSocket socket) {
    this.gw = gw;
    this.socket = socket;
  }

  /** Opens the Engine.IO WebSocket and takes its open packet; no Socket.IO CONNECT yet. */
  static SocketIoKitClient open(GatewayFixture gw) {
    SocketIoKitClient client =
        new SocketIoKitClient(
            gw, EngineIoSocket.open(gw.url("ws", "/socket.io/?EIO=4&transport=websocket")));
    JsonNode open = client.expectPush("open");
    if (!open.has("sid")) {
      throw new AssertionError("no Engine.IO open packet: " + open);
    }
    return client;
  }

  /** Sends CONNECT with {@code auth} and returns the reply: {@code connect} or an error. */
  Incoming sendConnect(Map<String, String> auth) {
    sendRaw("40" + JsonKitClient.json(auth));
    return take(m -> m.isPush("connect") || m.isPush("connect_error"), "the CONNECT reply");
  }

  /** Connects with {@code token} and fails unless the server accepts it. */
  static SocketIoKitClient connect(GatewayFixture gw, String token) {
    SocketIoKitClient client = open(gw);
    client.connected(client.sendConnect(Map.of("token", token)));
    return client;
  }

  private void connected(Incoming reply) {
    if (!reply.isPush("connect")) {
      throw new AssertionError("CONNECT refused: " + reply);
    }
    pid = reply.body().path("pid").asText(null);
  }

  @Override
  public Protocol protocol() {
    return Protocol.SOCKET_IO;
  }

  @Override
  Incoming read(Duration wait) {
    String packet = socket.poll(wait);
    return packet == null ? null : decode(packet);
  }

  private Incoming decode(String packet) {
    if (packet.startsWith(EngineIoSocket.CLOSED)) {
      return Incoming.closed(Integer.parseInt(packet.substring(EngineIoSocket.CLOSED.length())));
    }
    if (packet.startsWith("0")) {
      return Incoming.push("open", parse(packet.substring(1)));
    }
    if (!packet.startsWith("4")) {
      return Incoming.push("engine.io " + packet, null);
    }
    char type = packet.length() > 1 ? packet.charAt(1) : '?';
    String rest = packet.substring(Math.min(2, packet.length()));
    return switch (type) {
      case '0' -> Incoming.push("connect", parse(rest));
      case '1' -> Incoming.disconnect();
      case '4' -> Incoming.push("connect_error", parse(rest));
      case '2' -> decodeEvent((ArrayNode) parse(rest));
      case '3' -> decodeAck(rest);
      default -> Incoming.push("socket.io " + packet, null);
    };
  }

  private Incoming decodeEvent(ArrayNode args) {
    if (args.isEmpty()) {
      return Incoming.push("socket.io empty event", args);
    }
    String name = args.path(0).asText();
    JsonNode last = args.get(args.size() - 1);
    if (last.isTextual() && args.size() > 1) {
      offset = last.asText();
    }
    return "event".equals(name) ? Incoming.event(args.get(1)) : Incoming.push(name, args.get(1));
  }

  private static Incoming decodeAck(String rest) {
    int open = rest.indexOf('[');
    JsonNode reply = parse(rest.substring(open)).get(0);
    boolean ok = reply.path("ok").asBoolean(false);
    String code = ok ? null : reply.path("code").asText(null);
    return Incoming.reply(rest.substring(0, open), new Answer(ok, code, reply));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON from the server: " + json, e);
    }
  }

  private Answer request(String name, Object... keysAndValues) {
    ObjectNode arg = JSON.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        arg.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
      }
    }
    String id = Long.toString(++acks);
    ArrayNode args = JSON.createArrayNode().add(name).add(arg);
    sendRaw("42" + id + args);
    return awaitReply(id);
  }

  @Override
  public Answer subscribe(String room, String subscriptionToken, String since, Object history) {
    return track(
        "subscribe",
        request(
            "subscribe",
            "room",
            room,
            "token",
            subscriptionToken,
            "since",
            since,
            "history",
            history));
  }

  @Override
  public Answer unsubscribe(String room) {
    return track("unsubscribe", request("unsubscribe", "room", room));
  }

  @Override
  public Answer publish(String room, String event, Map<String, ?> payload) {
    return request("publish", "room", room, "event", event, "payload", payload);
  }

  @Override
  public Answer presence(String room) {
    return request("presence", "room", room);
  }

  @Override
  public Answer setPresence(String room, Object state) {
    return request("presence.set", "room", room, "state", state);
  }

  @Override
  public Answer refresh(String token) {
    return request("refresh", "token", token);
  }

  @Override
  public void sendRaw(String frame) {
    socket.send(frame);
  }

  @Override
  public void stopReading() {
    socket.pause();
  }

  @Override
  public void resumeReading() {
    socket.resume();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public void drop() {
    socket.abort();
  }

  @Override
  public Resumed resume(String token, GatewayFixture elsewhere) {
    SocketIoKitClient next = open(elsewhere == null ? gw : elsewhere);
    java.util.Map<String, String> auth = new java.util.LinkedHashMap<>();
    auth.put("token", token);
    if (pid != null) {
      auth.put("pid", pid);
      if (offset != null) {
        auth.put("offset", offset);
      }
    }
    next.connected(next.sendConnect(auth));
    next.offset = offset;
    next.lastIds.putAll(lastIds);
    return new Resumed(next, pid != null && pid.equals(next.pid));
  }

  @Override
  public void forgeResumePoint() {
    super.forgeResumePoint();
    pid = "unknown-pid";
    offset = "zz~1-0.zz";
  }

  @Override
  public void adoptResumePoint(ProtocolClient other) {
    super.adoptResumePoint(other);
    SocketIoKitClient from = (SocketIoKitClient) other;
    pid = from.pid;
    offset = from.offset;
  }

  @Override
  public void close() {
    socket.abort();
  }
}
