package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.EngineIoPolling;
import dev.relay.testkit.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Attacks on the gateway's handshakes from one IP.
 *
 * <p>Bounds (SPEC §10 "Handshake limits", "Request deadlines"; §4): Engine.IO handshakes and
 * WebSocket upgrades together count against the per-IP connection-attempt limit (600/min): of 400
 * handshakes and 250 upgrades in a burst at most 600 succeed, the rest are refused {@code
 * rate_limited} (HTTP 429 with {@code Retry-After} 1–60, or close 4029). A WebSocket handshake or
 * an Engine.IO polling POST sent one byte per second is cut off (408 or close) within 10 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandshakeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HANDSHAKES = 400;
  private static final int UPGRADES = 250;
  private static HostileStack stack;

  @BeforeAll
  static void start() {
    stack = HostileStack.start("handshake");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** Last: it empties this stack's per-IP bucket, which the other tests' handshakes need. */
  @Test
  @Order(Integer.MAX_VALUE)
  void engineIoHandshakesAndUpgradesShareThePerIpAttemptLimit() throws Exception {
    long started = System.nanoTime();
    int handshakesOk = 0;
    int handshakesLimited = 0;
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < HANDSHAKES; i++) {
      HttpResponse<String> answer = EngineIoPolling.handshake(stack.gateway(), Map.of());
      handshakesOk += answer.statusCode() == 200 ? 1 : 0;
      if (answer.statusCode() == 429) {
        handshakesLimited++;
        retryAfter(soft, answer.headers().firstValue("Retry-After").orElse(""));
      }
    }
    int upgradesOk = 0;
    int upgradesLimited = 0;
    for (int i = 0; i < UPGRADES; i++) {
      String token = Tokens.connection("attempt-" + UUID.randomUUID(), List.of());
      try (RawWebSocket socket =
          RawWebSocket.open(
              stack.gatewayAddress(), "/realtime?token=" + token, Map.of(), 64 * 1024)) {
        if (socket.status() == 429) {
          upgradesLimited++;
          continue;
        }
        RawWebSocket.Frame first = socket.read(Duration.ofSeconds(5));
        if (first != null && first.opcode() == RawWebSocket.TEXT) {
          JsonNode message = JSON.readTree(first.text());
          upgradesOk += message.path("type").asText().equals("welcome") ? 1 : 0;
          upgradesLimited += "rate_limited".equals(message.path("code").asText()) ? 1 : 0;
        } else if (first != null && first.closeCode() == 4029) {
          upgradesLimited++;
        }
      }
    }
    // The bucket holds 600 and refills continuously at 10/s while the attempts run.
    long refilled = (System.nanoTime() - started) / 100_000_000L + 1;
    long allowed = 600 + refilled;
    soft.assertThat(handshakesOk + upgradesOk)
        .as(
            "attempts that succeeded: %d of %d handshakes (%d refused), %d of %d upgrades"
                + " (%d refused)",
            handshakesOk, HANDSHAKES, handshakesLimited, upgradesOk, UPGRADES, upgradesLimited)
        .isLessThanOrEqualTo((int) allowed);
    soft.assertThat(handshakesLimited + upgradesLimited)
        .as("attempts refused rate_limited")
        .isGreaterThanOrEqualTo((int) (HANDSHAKES + UPGRADES - allowed));
    soft.assertAll();
  }

  @Test
  void webSocketHandshakeSentOneBytePerSecondIsCutOffWithin10s() throws Exception {
    String head = "GET /realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";
    assertCutOff(head, "X-Slow: " + "a".repeat(6));
  }

  @Test
  void engineIoPollingPostSentOneBytePerSecondIsCutOffWithin10s() throws Exception {
    String sid = EngineIoPolling.open(stack.gateway()).sid();
    String head =
        "POST /socket.io/?EIO=4&transport=polling&sid="
            + sid
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 14\r\n\r\n";
    assertCutOff(head, "4" + "0".repeat(13));
  }

  /**
   * Sends {@code head} at once, then {@code trickle} one byte per second; the server must answer
   * 408 or end the connection within 10 s (plus 1.5 s of measuring slack).
   */
  private static void assertCutOff(String head, String trickle) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(stack.gatewayAddress(), 5_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long started = System.nanoTime();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = null;
      for (int i = 0; i < trickle.length() && answer == null; i++) {
        try {
          out.write(trickle.charAt(i));
          out.flush();
        } catch (IOException reset) {
          answer = "reset";
          break;
        }
        try {
          byte[] read = new byte[512];
          int n = in.read(read); // also the one-second cadence of the trickle
          answer = n < 0 ? "closed" : new String(read, 0, n, StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException stillWaiting) {
          // the server holds the request open; trickle on
        } catch (IOException reset) {
          answer = "reset";
        }
      }
      Duration held = Duration.ofNanos(System.nanoTime() - started);
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(answer)
          .as("the server's answer to a request trickled for %s", held)
          .isNotNull();
      if (answer != null && answer.startsWith("HTTP/")) {
        soft.assertThat(answer).as("status line").startsWith("HTTP/1.1 408");
      }
      soft.assertThat(held).as("time the request was held").isLessThan(Duration.ofMillis(11_500));
      soft.assertAll();
    }
  }

  private static void retryAfter(SoftAssertions soft, String header) {
    soft.assertThat(header).as("Retry-After").matches("[1-9][0-9]?");
    if (header.matches("[0-9]+")) {
      soft.assertThat(Integer.parseInt(header)).as("Retry-After").isBetween(1, 60);
    }
  }
}
