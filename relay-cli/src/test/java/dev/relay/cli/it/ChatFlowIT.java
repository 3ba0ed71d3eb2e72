package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.gateway.webhook.WebhookSignature;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AI-chat flow across two gateways (SPEC §7): browsers publish messages and typing indicators
 * themselves; the relay stamps the actor, enforces scope and per-type rate limits, never replays
 * typing, and forwards client events to the app server's webhook, signed and retried, without
 * slowing room delivery.
 */
class ChatFlowIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEBHOOK_SECRET = "webhook-secret-webhook-secret-0001";
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  private record Hook(String body, String signature, int attempt) {}

  private static final List<Hook> HOOKS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger FAILURES_LEFT = new AtomicInteger(3);
  private static HttpServer receiver;
  private static ApplicationContext gw1;
  private static ApplicationContext gw2;

  @BeforeAll
  static void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int status = FAILURES_LEFT.getAndDecrement() > 0 ? 500 : 200;
          if (status == 200) {
            HOOKS.add(
                new Hook(
                    body,
                    exchange.getRequestHeaders().getFirst("X-Relay-Signature"),
                    Integer.parseInt(
                        exchange.getRequestHeaders().getFirst("X-Relay-Delivery-Attempt"))));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    Map<String, Object> props =
        Map.of(
            "relay.webhook.url",
            "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
            "relay.webhook.secret",
            WEBHOOK_SECRET,
            "relay.connect.limit.per.sub",
            "1000/min");
    gw1 = Services.gateway(TestRedis.url(), props);
    gw2 = Services.gateway(TestRedis.url(), props);
  }

  @AfterAll
  static void stop() {
    gw1.close();
    gw2.close();
    receiver.stop(0);
  }

  private static WsTestClient connect(
      ApplicationContext gw, String sub, String room, List<String> scopes) {
    String token =
        SIGNER.connectionToken(sub, null, List.of(room), scopes, Duration.ofSeconds(120));
    WsTestClient client = WsTestClient.connect(Services.realtime(gw, token));
    client.expect("welcome");
    return client;
  }

  private static Map<String, Object> message(int n) {
    return Map.of("messageId", "m" + n, "conversationId", "7", "content", "hello " + n);
  }

  @Test
  void chatFlow() throws Exception {
    String room = "conversation:" + UUID.randomUUID();
    try (WsTestClient alice = connect(gw1, "user-a", room, List.of("publish"));
        WsTestClient bob = connect(gw2, "user-b", room, List.of());
        WsTestClient carol = connect(gw2, "user-c", room, List.of())) {
      List<String> ids = new ArrayList<>();
      for (int n = 1; n <= 10; n++) {
        alice.sendJson(
            "type",
            "publish",
            "room",
            room,
            "event",
            "message.created",
            "ref",
            "c" + n,
            "payload",
            message(n));
        ids.add(alice.expectInAnyOrder("ack", "event").get("ack").get("id").asText());
        JsonNode seenByBob = bob.expectEvents(1).get(0);
        assertThat(seenByBob.get("id").asText()).isEqualTo(ids.get(n - 1));
        assertThat(seenByBob.get("actor").asText()).isEqualTo("user-a");
        assertThat(carol.expectEvents(1).get(0).get("id").asText()).isEqualTo(ids.get(n - 1));
      }

      alice.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "message.created",
          "ref",
          "c11",
          "payload",
          message(11));
      JsonNode limited = alice.expect("error");
      assertThat(limited.get("code").asText()).isEqualTo("rate_limited");
      assertThat(limited.get("ref").asText()).isEqualTo("c11");
      bob.expectNothing(Duration.ofMillis(200));

      carol.sendJson(
          "type", "publish", "room", room, "event", "message.created", "payload", message(99));
      assertThat(carol.expect("error").get("code").asText()).isEqualTo("forbidden");

      alice.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "typing.started",
          "payload",
          Map.of("conversationId", "7"));
      alice.expectInAnyOrder("ack", "event");
      assertThat(bob.expectEvents(1).get(0).get("type").asText()).isEqualTo("typing.started");

      try (WsTestClient late = connect(gw1, "user-d", room, List.of())) {
        late.sendJson("type", "subscribe", "room", room, "since", ids.get(0));
        assertThat(late.expect("subscribed").get("recovered").asBoolean()).isTrue();
        List<JsonNode> replayed = late.expectEvents(9);
        assertThat(replayed)
            .extracting(e -> e.get("id").asText())
            .containsExactlyElementsOf(ids.subList(1, 10));
        late.expectNothing(Duration.ofMillis(300));
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> HOOKS.size() >= 11);
      List<String> hooked = new ArrayList<>();
      for (Hook hook : HOOKS) {
        long t = Long.parseLong(hook.signature().substring(2, hook.signature().indexOf(',')));
        assertThat(hook.signature())
            .isEqualTo(
                WebhookSignature.sign(
                    WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), t, hook.body()));
        JsonNode envelope = JSON.readTree(hook.body());
        assertThat(envelope.get("actor").asText()).isEqualTo("user-a");
        hooked.add(envelope.get("id").asText());
      }
      assertThat(hooked).containsAll(ids);
      assertThat(HOOKS).anyMatch(h -> h.attempt() > 1);
    }
  }
}
