package dev.relay.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable webhooks (SPEC §11) with real gateways, a real Redis of this class's own and a real HTTP
 * receiver: not lost when the gateway that queued them is killed, retried until a 2xx,
 * dead-lettered after the retry window, lifecycle webhooks selected by {@code
 * RELAY_WEBHOOK_EVENTS}, every one signed.
 */
class DurableWebhookIT {

  private static final String SECRET = "it-secret-it-secret-it-secret-it-secret";
  private static final String WEBHOOK_SECRET = "webhook-secret-webhook-secret-0001";
  private static final ObjectMapper JSON = new ObjectMapper();

  record Hook(String id, String attempt, String signature, String body, JsonNode json) {}

  private static RedisProcess redis;
  private static RedisClient admin;
  private static StatefulRedisConnection<String, String> adminConnection;
  private static HttpServer receiver;
  private static final ExecutorService RECEIVER_THREADS = Executors.newCachedThreadPool();
  private static final List<Hook> HOOKS = new CopyOnWriteArrayList<>();
  private static volatile Function<Hook, Integer> answer = hook -> 204;
  private static volatile CountDownLatch hang = new CountDownLatch(0);

  private final TokenSigner signer = new TokenSigner(SECRET.getBytes(StandardCharsets.UTF_8));
  private final List<ApplicationContext> gateways = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    redis = RedisProcess.start();
    admin = RedisClient.create(redis.url());
    adminConnection = admin.connect();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(RECEIVER_THREADS);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Hook hook =
              new Hook(
                  exchange.getRequestHeaders().getFirst("X-Relay-Event-Id"),
                  exchange.getRequestHeaders().getFirst("X-Relay-Delivery-Attempt"),
                  exchange.getRequestHeaders().getFirst("X-Relay-Signature"),
                  body,
                  JSON.readTree(body));
          HOOKS.add(hook);
          int status = answer.apply(hook);
          if (status == 0) {
            try {
              hang.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            status = 503;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    hang.countDown();
    receiver.stop(0);
    RECEIVER_THREADS.shutdownNow();
    adminConnection.close();
    admin.shutdown();
    redis.close();
  }

  @BeforeEach
  void reset() {
    adminConnection.sync().flushall();
    HOOKS.clear();
    answer = hook -> 204;
  }

  @AfterEach
  void closeGateways() {
    hang.countDown();
    gateways.forEach(ApplicationContext::close);
  }

  @Test
  void aWebhookQueuedByAKilledGatewayIsDeliveredByAnother() {
    hang = new CountDownLatch(1);
    answer = hook -> 0; // the receiver holds every request: gateway A never learns the outcome
    EmbeddedServer a = gateway("relay.webhook.lease", "2s");
    String room = "conversation:" + UUID.randomUUID();
    String id = publish(a, room);
    await().atMost(Duration.ofSeconds(10)).until(() -> hooksOf(id).size() == 1);

    // "kill" A without draining: its context goes while the request is in flight
    a.getApplicationContext().close();
    answer = hook -> 204;
    hang.countDown();
    EmbeddedServer b = gateway("relay.webhook.lease", "2s");

    await().atMost(Duration.ofSeconds(15)).until(() -> hooksOf(id).size() >= 2);
    Hook again = hooksOf(id).get(1);
    assertThat(Integer.parseInt(again.attempt())).isGreaterThanOrEqualTo(2);
    assertThat(again.json().get("room").asText()).isEqualTo(room);
    assertSigned(again);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> adminConnection.sync().hlen("{relay:webhooks}:jobs") == 0);
    assertThat(dispatcher(b).delivered()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aFailedWebhookIsRetriedWithBackoffUntilTheReceiverAnswers2xx() {
    answer = hook -> Integer.parseInt(hook.attempt()) < 3 ? 500 : 200;
    EmbeddedServer g = gateway("relay.webhook.backoff", "100ms");
    String id = publish(g, "conversation:" + UUID.randomUUID());

    await().atMost(Duration.ofSeconds(10)).until(() -> hooksOf(id).size() == 3);
    assertThat(hooksOf(id)).extracting(Hook::attempt).containsExactly("1", "2", "3");
    hooksOf(id).forEach(DurableWebhookIT::assertSigned);
    WebhookDispatcher d = dispatcher(g);
    await().atMost(Duration.ofSeconds(5)).until(() -> d.delivered() == 1);
    assertThat(d.failedAttempts()).isEqualTo(2);
    assertThat(d.deadLettered()).isZero();
    assertThat(adminConnection.sync().hlen("{relay:webhooks}:jobs")).isZero();
  }

  @Test
  void aWebhookStillFailingAfterTheRetryWindowIsDeadLetteredAndCounted() {
    answer = hook -> 500;
    EmbeddedServer g =
        gateway("relay.webhook.backoff", "100ms", "relay.webhook.retry.window", "1s");
    String id = publish(g, "conversation:" + UUID.randomUUID());
    WebhookDispatcher d = dispatcher(g);

    await().atMost(Duration.ofSeconds(10)).until(() -> d.deadLettered() == 1);
    assertThat(hooksOf(id).size()).isGreaterThanOrEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> d.deadLetterTotal() == 1);
    assertThat(adminConnection.sync().hlen("{relay:webhooks}:jobs")).isZero();
    assertThat(adminConnection.sync().lrange("{relay:webhooks}:dead", 0, -1))
        .singleElement()
        .satisfies(dead -> assertThat(dead).startsWith(id + " {"));
    int attempts = hooksOf(id).size();
    // nothing more is sent for it
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(2))
        .until(() -> hooksOf(id).size() == attempts);
    assertThat(deliveries(g, "dead_lettered")).isEqualTo(1.0);
    assertThat(deliveries(g, "failed_attempt")).isEqualTo(attempts);
  }

  @Test
  void lifecycleWebhooksAreSelectedByRelayWebhookEventsAndRoomEventsComeOnceAcrossGateways() {
    EmbeddedServer a = gateway("relay.webhook.events", "presence.*,room.*");
    EmbeddedServer b = gateway("relay.webhook.events", "presence.*,room.*");
    String room = "conversation:" + UUID.randomUUID();
    String id;
    try (WsTestClient alice = connect(a, "alice", room);
        WsTestClient bob = connect(b, "bob", room)) {
      id = publishWith(alice, room);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hooksOfType(room, "presence.joined").size() == 2);
      assertThat(hooksOfType(room, "room.occupied")).hasSize(1);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                hooksOfType(room, "presence.left").size() == 2
                    && hooksOfType(room, "room.vacated").size() == 1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> hooksOfType(room, "room.").size() == 2);
    for (Hook hook : hooksOfType(room, "")) {
      assertSigned(hook);
      assertThat(hook.json().get("v").asInt()).isEqualTo(1);
      assertThat(hook.json().get("publishedAt").asText()).isNotEmpty();
      if (hook.json().get("type").asText().startsWith("presence.")) {
        assertThat(hook.json().get("payload").get("sub").asText()).isIn("alice", "bob");
      } else {
        assertThat(hook.json().get("payload").isEmpty()).isTrue();
      }
    }
    assertThat(hooksOfType(room, "").stream().map(Hook::id).distinct()).hasSize(6);
    assertThat(hooksOf(id)).as("client events are not selected").isEmpty();
  }

  @Test
  void onlyTheSelectedLifecycleTypesAreSent() {
    EmbeddedServer g = gateway("relay.webhook.events", "client,room.vacated");
    String room = "conversation:" + UUID.randomUUID();
    String id;
    try (WsTestClient alice = connect(g, "alice", room)) {
      id = publishWith(alice, room);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> hooksOfType(room, "room.vacated").size() == 1 && hooksOf(id).size() == 1);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> hooksOfType(room, "").size() == 2);
  }

  @Test
  void anInvalidRelayWebhookEventsStopsTheStartWithAClearMessage() {
    assertThatThrownBy(() -> gateway("relay.webhook.events", "client,room.**"))
        .hasStackTraceContaining("RELAY_WEBHOOK_EVENTS is invalid: 'room.**'");
  }

  private EmbeddedServer gateway(String... extra) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("redis.url", redis.url());
    properties.put("jwt.signing.secret", SECRET);
    properties.put("relay.connect.limit.per.ip", "100000/min");
    properties.put(
        "relay.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    properties.put("relay.webhook.secret", WEBHOOK_SECRET);
    for (int i = 0; i < extra.length; i += 2) {
      properties.put(extra[i], extra[i + 1]);
    }
    ApplicationContext context =
        ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
    gateways.add(context);
    return context.getBean(EmbeddedServer.class);
  }

  private static WebhookDispatcher dispatcher(EmbeddedServer g) {
    return g.getApplicationContext().getBean(WebhookDispatcher.class);
  }

  private static double deliveries(EmbeddedServer g, String result) {
    return g.getApplicationContext()
        .getBean(MeterRegistry.class)
        .get("relay_webhook_deliveries")
        .tag("result", result)
        .functionCounter()
        .count();
  }

  private WsTestClient connect(EmbeddedServer g, String sub, String room) {
    String token =
        signer.connectionToken(sub, null, List.of(room), List.of("publish"), Duration.ofMinutes(2));
    WsTestClient client =
        WsTestClient.connect("ws://127.0.0.1:" + g.getPort() + "/realtime?token=" + token);
    client.expect("welcome");
    return client;
  }

  private String publish(EmbeddedServer g, String room) {
    try (WsTestClient author = connect(g, "author", room)) {
      return publishWith(author, room);
    }
  }

  private static String publishWith(WsTestClient author, String room) {
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
    // the ack and the echo of the event race; presence events may come first
    for (int i = 0; i < 5; i++) {
      JsonNode next = author.poll(Duration.ofSeconds(10));
      if (next != null && "ack".equals(next.path("type").asText())) {
        return next.get("id").asText();
      }
    }
    throw new AssertionError("no ack");
  }

  private static List<Hook> hooksOf(String id) {
    return HOOKS.stream().filter(h -> id.equals(h.id())).toList();
  }

  private static List<Hook> hooksOfType(String room, String typePrefix) {
    return HOOKS.stream()
        .filter(h -> room.equals(h.json().path("room").asText()))
        .filter(h -> h.json().path("type").asText().startsWith(typePrefix))
        .toList();
  }

  /** Verifies the signature as a receiver would: HMAC over "t.body", and the id header. */
  private static void assertSigned(Hook hook) {
    long t = Long.parseLong(hook.signature().substring(2, hook.signature().indexOf(',')));
    assertThat(Math.abs(System.currentTimeMillis() / 1000 - t)).isLessThan(300);
    assertThat(hook.signature())
        .isEqualTo(
            WebhookSignature.sign(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), t, hook.body()));
    assertThat(hook.id()).isEqualTo(hook.json().get("id").asText());
  }
}
