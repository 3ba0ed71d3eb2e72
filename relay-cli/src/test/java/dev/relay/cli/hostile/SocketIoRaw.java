package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.RawWebSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Socket.IO v5 over Engine.IO v4 on a {@link RawWebSocket}, spoken by hand: the same bytes as the
 * stock client's WebSocket transport, but it reads only when a test asks, so it can stop reading.
 * Engine.IO pings ({@code 2}) met while reading are answered ({@code 3}).
 */
final class SocketIoRaw {

  static final String PATH = "/socket.io/?EIO=4&transport=websocket";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SocketIoRaw() {}

  /**
   * Upgrades, reads the Engine.IO open packet, sends CONNECT with {@code auth: {token}} and waits
   * for the server's CONNECT; fails on {@code connect_error}.
   */
  static RawWebSocket connect(InetSocketAddress gateway, String token, int receiveBuffer) {
    try {
      RawWebSocket socket = RawWebSocket.open(gateway, PATH, Map.of(), receiveBuffer);
      if (socket.status() != 101) {
        throw new IllegalStateException("upgrade answered " + socket.status());
      }
      String open = socket.readText(WAIT);
      if (open == null || !open.startsWith("0")) {
        throw new IllegalStateException("no Engine.IO open packet: " + open);
      }
      socket.sendText("40" + JSON.writeValueAsString(Map.of("token", token)));
      String connected = next(socket, "", WAIT);
      if (!connected.startsWith("0")) {
        throw new IllegalStateException("not connected: " + connected);
      }
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Emits {@code event} with one JSON argument, asking for the ack {@code ackId}. */
  static void emit(RawWebSocket socket, int ackId, String event, Object argument)
      throws IOException {
    socket.sendText("42" + ackId + JSON.writeValueAsString(new Object[] {event, argument}));
  }

  /**
   * The next Socket.IO packet (Engine.IO message, the leading {@code 4} stripped) whose text starts
   * with {@code prefix}, skipping others; fails when none arrives within {@code wait} or the
   * connection closes.
   */
  static String next(RawWebSocket socket, String prefix, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String text = socket.readText(Duration.ofNanos(deadline - System.nanoTime()));
      if (text == null) {
        throw new IllegalStateException("connection closed while waiting for " + prefix);
      }
      if (text.equals("2")) {
        socket.sendText("3");
      } else if (text.startsWith("4" + prefix)) {
        return text.substring(1);
      }
    }
    throw new IllegalStateException("nothing starting with " + prefix + " within " + wait);
  }

  /** The JSON array of an event or ack packet such as {@code 2["event",{…}]} or {@code 31[{…}]}. */
  static JsonNode arguments(String packet) throws IOException {
    return JSON.readTree(packet.substring(packet.indexOf('[')));
  }
}
