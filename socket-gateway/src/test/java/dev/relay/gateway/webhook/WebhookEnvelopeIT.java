package dev.relay.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The webhook body of a client-published event is the stored envelope, byte for byte what a
 * subscriber receives (same {@code id}, {@code publishedAt}, {@code issuedAt}): a real gateway, a
 * real Redis, a real HTTP receiver (SPEC §7, §11).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookEnvelopeIT implements TestPropertyProvider {

  private static final String SECRET = "it-secret-it-secret-it-secret-it-secret";
  private static final String WEBHOOK_SECRET = "webhook-secret-webhook-secret-0001";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final TokenSigner signer = new TokenSigner(SECRET.getBytes(StandardCharsets.UTF_8));
  private HttpServer receiver;

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    try {
      receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    receiver.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    return Map.of(
        "redis.url",
        TestRedis.url(),
        "jwt.signing.secret",
        SECRET,
        "relay.webhook.url",
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
        "relay.webhook.secret",
        WEBHOOK_SECRET);
  }

  @AfterAll
  void stopReceiver() {
    receiver.stop(0);
  }

  @Test
  void theWebhookBodyIsExactlyTheEnvelopeSubscribersReceive() throws IOException {
    String room = "conversation:" + UUID.randomUUID();
    try (WsTestClient author = connect("author", room, List.of("publish"));
        WsTestClient reader = connect("reader", room, List.of())) {
      author.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "message.created",
          "ref",
          "r1",
          "payload",
          Map.of("messageId", "m1", "conversationId", "7", "content", "hi"));
      String id = author.expectInAnyOrder("ack", "event").get("ack").get("id").asText();
      JsonNode received = reader.expectEvents(1).get(0);
      assertThat(received.get("id").asText()).isEqualTo(id);

      // the queue in the shared test Redis may also hold other tests' webhooks: find ours
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bodies.stream().anyMatch(b -> b.contains("\"id\":\"" + id + "\"")));
      String body =
          bodies.stream().filter(b -> b.contains("\"id\":\"" + id + "\"")).findFirst().get();
      JsonNode hooked = JSON.readTree(body);
      assertThat(hooked).isEqualTo(received);
      assertThat(body).isEqualTo(JSON.writeValueAsString(received));
      assertThat(hooked.get("publishedAt").asText())
          .isEqualTo(received.get("publishedAt").asText());
      assertThat(hooked.get("issuedAt").asText()).isEqualTo(hooked.get("publishedAt").asText());
      assertThat(hooked.get("actor").asText()).isEqualTo("author");
    }
  }

  private WsTestClient connect(String sub, String room, List<String> scopes) {
    String token =
        signer.connectionToken(sub, null, List.of(room), scopes, Duration.ofSeconds(120));
    WsTestClient client =
        WsTestClient.connect("ws://127.0.0.1:" + server.getPort() + "/realtime?token=" + token);
    client.expect("welcome");
    return client;
  }
}
