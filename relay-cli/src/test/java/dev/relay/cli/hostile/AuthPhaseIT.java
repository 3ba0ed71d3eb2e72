package dev.relay.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks on the time before a connection is authenticated.
 *
 * <p>Bounds (SPEC §10): up to 16 JSON messages sent after the upgrade and before {@code welcome}
 * are handled in order once authentication completes, never dropped ("Messages before welcome"); a
 * connection that has not authenticated within 10 s is closed 4001 whatever it sends meanwhile
 * ("Authentication deadline"), here WebSocket pings answered with pongs, on the JSON protocol and
 * on Socket.IO (no CONNECT packet).
 */
@ExtendWith(SharedStack.class)
class AuthPhaseIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EARLY = 16;
  private static HostileStack stack;

  @BeforeAll
  static void start(HostileStack shared) {
    stack = shared;
  }

  @Test
  void sixteenMessagesAfterAnAuthMessageAreHandledInOrderAfterWelcome() throws Exception {
    String token = Tokens.connection("early-auth-" + UUID.randomUUID(), List.of("team:*"));
    try (RawWebSocket socket =
        RawWebSocket.open(stack.gatewayAddress(), "/realtime", Map.of(), 64 * 1024)) {
      List<String> rooms = earlyBurst(socket, "{\"type\":\"auth\",\"token\":\"" + token + "\"}");
      assertHandledInOrder(socket, rooms);
    }
  }

  @Test
  void sixteenMessagesRightAfterTheUpgradeAreHandledInOrderAfterWelcome() throws Exception {
    String token = Tokens.connection("early-query-" + UUID.randomUUID(), List.of("team:*"));
    try (RawWebSocket socket =
        RawWebSocket.open(
            stack.gatewayAddress(), "/realtime?token=" + token, Map.of(), 64 * 1024)) {
      List<String> rooms = earlyBurst(socket, null);
      assertHandledInOrder(socket, rooms);
    }
  }

  @Test
  void jsonConnectionThatPingsWithoutAuthenticatingIsClosed4001Within10s() throws Exception {
    try (RawWebSocket socket =
        RawWebSocket.open(stack.gatewayAddress(), "/realtime", Map.of(), 64 * 1024)) {
      Closed closed = chatterUntilClosed(socket);
      assertThat(closed.code).as("close code after %s", closed.after).isEqualTo(4001);
      assertThat(closed.after).isLessThan(Duration.ofMillis(11_000));
    }
  }

  @Test
  void socketIoTransportThatPingsWithoutConnectPacketIsClosedWithin10s() throws Exception {
    try (RawWebSocket socket =
        RawWebSocket.open(stack.gatewayAddress(), SocketIoRaw.PATH, Map.of(), 64 * 1024)) {
      Closed closed = chatterUntilClosed(socket);
      assertThat(closed.after)
          .as("closed (code %d)", closed.code)
          .isLessThan(Duration.ofMillis(11_000));
    }
  }

  /** Sends {@code first} (if any) and 16 subscribes in ONE TCP write; the rooms, in order. */
  private static List<String> earlyBurst(RawWebSocket socket, String first) throws Exception {
    assertThat(socket.status()).isEqualTo(101);
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    if (first != null) {
      burst.writeBytes(text(first));
    }
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i < EARLY; i++) {
      String room = "team:early-" + i + "-" + UUID.randomUUID();
      rooms.add(room);
      burst.writeBytes(text(JSON.writeValueAsString(Map.of("type", "subscribe", "room", room))));
    }
    socket.sendRaw(burst.toByteArray());
    return rooms;
  }

  private static void assertHandledInOrder(RawWebSocket socket, List<String> rooms)
      throws Exception {
    List<JsonNode> replies = new ArrayList<>();
    while (replies.size() < EARLY + 1) {
      String text = socket.readText(Duration.ofSeconds(10));
      assertThat(text).as("reply %d of %d: %s", replies.size() + 1, EARLY + 1, replies).isNotNull();
      replies.add(JSON.readTree(text));
    }
    assertThat(replies.get(0).path("type").asText())
        .as("first reply of %s", replies)
        .isEqualTo("welcome");
    for (int i = 0; i < EARLY; i++) {
      JsonNode reply = replies.get(i + 1);
      assertThat(reply.path("type").asText())
          .as("reply to message %d of %s", i, replies)
          .isEqualTo("subscribed");
      assertThat(reply.path("room").asText()).as("reply to message %d", i).isEqualTo(rooms.get(i));
    }
  }

  /** How and when the server ended a connection, measured from the upgrade. */
  private record Closed(int code, Duration after) {}

  /**
   * Sends a WebSocket ping frame every 200 ms and reads everything (the pongs), until a close frame
   * or the end of the TCP connection (at most 16 s).
   */
  private static Closed chatterUntilClosed(RawWebSocket socket) throws Exception {
    assertThat(socket.status()).isEqualTo(101);
    byte[] ping =
        RawWebSocket.frame(RawWebSocket.PING, "still here".getBytes(StandardCharsets.UTF_8));
    long opened = System.nanoTime();
    long nextChatter = opened;
    while (System.nanoTime() - opened < 16_000_000_000L) {
      if (System.nanoTime() >= nextChatter && !socket.writeFails(ping)) {
        nextChatter += 200_000_000L;
      }
      try {
        RawWebSocket.Frame frame = socket.read(Duration.ofMillis(100));
        if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
          Duration after = Duration.ofNanos(System.nanoTime() - opened);
          return new Closed(frame == null ? 1006 : frame.closeCode(), after);
        }
      } catch (SocketTimeoutException quiet) {
        // nothing to read this round; chatter on
      }
    }
    throw new AssertionError("still open 16 s after the upgrade");
  }

  private static byte[] text(String text) {
    return RawWebSocket.frame(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }
}
