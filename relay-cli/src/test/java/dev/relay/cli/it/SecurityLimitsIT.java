package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.relay.gateway.auth.TokenSigner;
import dev.relay.gateway.server.GatewayMain;
import dev.relay.service.ServiceMain;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The remaining limits and refusals of SPEC §2/§4 and issue 6: per-IP connection and publish limits
 * (each gateway/publish-api on its own Redis database, so no other test shares the 127.0.0.1
 * bucket), the idle timeout against a client that never answers pings, no CORS on publish-api, and
 * start-up refusal of a short signing secret.
 */
class SecurityLimitsIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  private static String token() {
    return SIGNER.connectionToken(
        "ip-" + UUID.randomUUID(), null, List.of(), List.of(), Duration.ofSeconds(60));
  }

  @Test
  void connectionAttemptsPerIpAreLimited() throws Exception {
    ApplicationContext gateway =
        Services.gateway(TestRedis.url(12), Map.of("relay.connect.limit.per.ip", "2/min"));
    try {
      for (int i = 0; i < 2; i++) {
        try (WsTestClient ok = WsTestClient.connect(Services.realtime(gateway, token()))) {
          ok.expect("welcome");
        }
      }
      // Over the limit, the upgrade itself is refused (SPEC §10), before any connection state.
      Throwable refused =
          catchThrowable(() -> WsTestClient.connect(Services.realtime(gateway, token())));
      assertThat(refused).hasCauseInstanceOf(WebSocketHandshakeException.class);
      HttpResponse<?> answer = ((WebSocketHandshakeException) refused.getCause()).getResponse();
      assertThat(answer.statusCode()).isEqualTo(429);
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      // Engine.IO handshakes count against the same per-IP bucket.
      HttpResponse<String> polling =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          Services.uri(gateway).resolve("/socket.io/?EIO=4&transport=polling"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(polling.statusCode()).isEqualTo(429);
      assertThat(polling.headers().firstValue("Retry-After")).isPresent();
    } finally {
      gateway.close();
    }
  }

  @Test
  void publishesPerIpAreLimitedAcrossTwoPublishApis() {
    Map<String, Object> limit = Map.of("relay.publish.limit.per.ip", "3/min");
    ApplicationContext one = Services.publishApi(TestRedis.url(13), limit);
    ApplicationContext two = Services.publishApi(TestRedis.url(13), limit);
    try {
      int accepted = 0;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> answer =
            Http.publish(
                Services.uri(i % 2 == 0 ? one : two),
                "{\"room\":\"team:" + i + "\",\"event\":\"session.ended\",\"payload\":{}}");
        if (answer.statusCode() == 202) {
          accepted++;
        } else {
          assertThat(answer.statusCode()).isEqualTo(429);
          assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        }
      }
      assertThat(accepted).isEqualTo(3);
    } finally {
      one.close();
      two.close();
    }
  }

  @Test
  void aClientThatNeverAnswersPingsIsDropped() throws Exception {
    ApplicationContext gateway =
        Services.gateway(
            TestRedis.url(), Map.of("relay.ping.interval", "1s", "relay.idle.timeout", "3s"));
    try (Socket socket = new Socket("127.0.0.1", Services.uri(gateway).getPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /realtime?token="
                  + token()
                  + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      String head = "";
      int read;
      // Read the 101, the welcome and the server's pings, never answering, until the server hangs
      // up.
      while ((read = in.read(buffer)) >= 0) {
        if (head.isEmpty()) {
          head = new String(buffer, 0, read, StandardCharsets.US_ASCII);
        }
      }
      assertThat(head).startsWith("HTTP/1.1 101");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
          .isLessThan(Duration.ofSeconds(10));
    } finally {
      gateway.close();
    }
  }

  @Test
  void publishApiSendsNoCorsHeaders() throws Exception {
    ApplicationContext api = Services.publishApi(TestRedis.url());
    try {
      URI events = Services.uri(api).resolve("/v1/events");
      HttpResponse<String> preflight =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(events)
                      .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                      .header("Origin", "https://evil.example.com")
                      .header("Access-Control-Request-Method", "POST")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    } finally {
      api.close();
    }
  }

  @Test
  void aShortSigningSecretStopsTheGatewayWithOneLineNamingTheVariable() {
    Map<String, Object> properties = new HashMap<>(GatewayMain.ROLE.properties());
    properties.put("relay.publish.enabled", "false");
    properties.put("redis.url", TestRedis.url());
    properties.put("jwt.signing.secret", "too-short");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            ServiceMain.start(
                new String[0],
                new ServiceMain.Role("socket-gateway", 0, properties),
                name -> name.equals("PORT") ? "0" : null,
                new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEmpty();
    String output = err.toString(StandardCharsets.UTF_8).strip();
    assertThat(output.lines()).hasSize(1);
    assertThat(output).startsWith("JWT_SIGNING_SECRET").doesNotContain("too-short");
  }
}
