package dev.relay.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.EventLog;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §10 request deadline on the gateway ({@code RELAY_REQUEST_TIMEOUT=1s}), over raw sockets: a
 * WebSocket handshake or an Engine.IO polling POST that trickles in is answered 408 and closed,
 * while an upgraded WebSocket and a long-poll GET held open by the server are not limited by it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRequestDeadlineIT implements TestPropertyProvider {

  private static final Duration PAST_DEADLINE = Duration.ofMillis(2500);

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url",
        TestRedis.url(),
        "jwt.signing.secret",
        GatewayFixture.SECRET,
        "relay.allowed.origins",
        GatewayFixture.ALLOWED_ORIGIN,
        "relay.request.timeout",
        "1s");
  }

  @Test
  void aWebSocketHandshakeThatStallsIs408AndClosed() throws IOException {
    try (Socket socket = connect()) {
      write(socket, "GET /realtime HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n");

      assertThat(readAll(socket)).startsWith("HTTP/1.1 408").contains("request_timeout");
    }
  }

  @Test
  void aPollingPostWhoseBodyStallsIs408AndClosed() throws IOException {
    try (Socket socket = connect()) {
      write(
          socket,
          "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: text/plain\r\nContent-Length: 100\r\n\r\n40");

      assertThat(readAll(socket)).startsWith("HTTP/1.1 408").contains("request_timeout");
    }
  }

  @Test
  void aLongPollGetHeldByTheServerIsNotLimited() throws IOException {
    try (Socket socket = connect()) {
      write(socket, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n");
      String handshake = readSome(socket, Duration.ofSeconds(5));
      assertThat(handshake).startsWith("HTTP/1.1 200");
      String sid = handshake.replaceAll("(?s).*\"sid\":\"([^\"]+)\".*", "$1");

      write(
          socket,
          "GET /socket.io/?EIO=4&transport=polling&sid="
              + sid
              + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

      assertThat(readSome(socket, PAST_DEADLINE)).as("nothing but the held poll").isEmpty();
    }
  }

  @Test
  void anUpgradedWebSocketOutlivesTheDeadline() {
    GatewayFixture gw = new GatewayFixture(server.getURI(), log);
    try (WsTestClient client =
        gw.connect(gw.token("deadline-user", "deadline", List.of(), List.of()))) {
      client.sendJson("type", "ping");
      client.expect("pong");
      client.expectNothing(PAST_DEADLINE);

      assertThat(client.isClosed()).isFalse();
      client.sendJson("type", "ping");
      client.expect("pong");
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.getHost(), server.getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection (bounded by the socket timeout). */
  private static String readAll(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  /** What arrives within {@code wait}, without waiting for the connection to close. */
  private static String readSome(Socket socket, Duration wait) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    long deadline = System.nanoTime() + wait.toNanos();
    byte[] buffer = new byte[4096];
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      try {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        if (text.indexOf("\r\n\r\n") > 0 && text.toString().contains("\"sid\"")) {
          break;
        }
      } catch (SocketTimeoutException e) {
        break;
      }
    }
    return text.toString();
  }
}
