package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import java.util.List;
import java.util.Map;

/**
 * The two client protocols the scenarios run against, each with the ways a connection starts. A
 * scenario takes a {@code Protocol} parameter ({@code @EnumSource(Protocol.class)}) and runs
 * unchanged for both.
 */
public enum Protocol {
  /** The plain JSON protocol at {@code /realtime} (SPEC §5). */
  JSON {
    @Override
    public ProtocolClient connect(GatewayFixture gw, String token) {
      return JsonKitClient.connect(gw, token);
    }

    @Override
    public ProtocolClient connectLater(GatewayFixture gw, String token) {
      return JsonKitClient.connectLater(gw, token);
    }

    @Override
    public Refusal refuse(GatewayFixture gw, String token) {
      JsonKitClient client = JsonKitClient.open(gw, "?token=" + token);
      try (client) {
        JsonNode error = client.expectPush("error");
        return new Refusal(error.path("code").asText(), client.awaitEnd().closeCode());
      }
    }

    @Override
    public ProtocolClient openUnauthenticated(GatewayFixture gw) {
      return JsonKitClient.open(gw, "");
    }

    @Override
    public List<String> malformedInputs() {
      return List.of(
          "not json",
          "",
          "[]",
          "null",
          "42",
          "{}",
          "{\"type\":7}",
          "{\"type\":\"nope\"}",
          "{\"type\":\"subscribe\"}",
          "{\"type\":\"subscribe\",\"room\":\"NOT A ROOM\"}",
          "{\"type\":\"subscribe\",\"room\":\"a:b\",\"teamId\":\"1\"}",
          "{\"type\":\"publish\",\"room\":\"a:b\",\"event\":\"x\",\"payload\":[]}",
          "{\"type\":\"ping\"} trailing",
          "{\"type\":\"ping\",\"type\":\"auth\"}",
          "{\"type\":\"subscribe\",\"room\":\"" + "x".repeat(5000) + "\"}",
          "[".repeat(10_000),
          "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
          "{\"type\":\"\\ud800\"}",
          "\u0000\u0001");
    }

    @Override
    public String oversizeFrame() {
      return "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
    }
  },

  /** Socket.IO v5 over an Engine.IO v4 WebSocket at {@code /socket.io/} (SPEC §6). */
  SOCKET_IO {
    @Override
    public ProtocolClient connect(GatewayFixture gw, String token) {
      return SocketIoKitClient.connect(gw, token);
    }

    @Override
    public ProtocolClient connectLater(GatewayFixture gw, String token) {
      SocketIoKitClient client = SocketIoKitClient.open(gw);
      client.expectNoEvent(java.time.Duration.ofMillis(200));
      Incoming reply = client.sendConnect(Map.of("token", token));
      if (!reply.isPush("connect")) {
        client.close();
        throw new AssertionError("CONNECT refused: " + reply);
      }
      return client;
    }

    @Override
    public Refusal refuse(GatewayFixture gw, String token) {
      try (SocketIoKitClient client = SocketIoKitClient.open(gw)) {
        Incoming reply = client.sendConnect(Map.of("token", token));
        if (!reply.isPush("connect_error")) {
          throw new AssertionError("expected CONNECT_ERROR but got " + reply);
        }
        return new Refusal(reply.body().path("message").asText(), 0);
      }
    }

    @Override
    public ProtocolClient openUnauthenticated(GatewayFixture gw) {
      return SocketIoKitClient.open(gw);
    }

    @Override
    public List<String> malformedInputs() {
      return List.of(
          "4{not socket.io",
          "42not json",
          "47[]",
          "42[]",
          "42{\"event\":1}",
          "4",
          "42[\"subscribe\",{\"room\":\"a:b\"}",
          "42" + "[".repeat(10_000));
    }

    @Override
    public String oversizeFrame() {
      return "42[\"ping\",\"" + "x".repeat(70_000) + "\"]";
    }
  };

  /** Connects with the token in the connect request (JSON query, Socket.IO CONNECT auth). */
  public abstract ProtocolClient connect(GatewayFixture gw, String token);

  /**
   * Opens the connection first and sends the token afterwards (JSON {@code auth} message;
   * Socket.IO: CONNECT some time after the Engine.IO open).
   */
  public abstract ProtocolClient connectLater(GatewayFixture gw, String token);

  /** Connects with a token the server must refuse, and says how it refused. */
  public abstract Refusal refuse(GatewayFixture gw, String token);

  /** Opens the transport and sends nothing yet (JSON: no token; Socket.IO: no CONNECT). */
  public abstract ProtocolClient openUnauthenticated(GatewayFixture gw);

  /**
   * Input that breaks the protocol's framing or grammar: JSON answers each with {@code
   * invalid_message} and keeps the connection; Socket.IO closes the connection (an invalid packet
   * MUST close it).
   */
  public abstract List<String> malformedInputs();

  /** One frame larger than {@code RELAY_MAX_FRAME_BYTES} (64 KiB): closed with 1009. */
  public abstract String oversizeFrame();

  /**
   * A refused connection.
   *
   * @param code the error code (JSON {@code error} message, Socket.IO CONNECT_ERROR message)
   * @param closeCode JSON: the WebSocket close code; Socket.IO: 0 (the Engine.IO session stays
   *     open, so the stock client may retry CONNECT)
   */
  public record Refusal(String code, int closeCode) {}
}
