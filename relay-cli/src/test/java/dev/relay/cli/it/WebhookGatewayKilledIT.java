package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.cli.it.WebhookReceiver.Hook;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SPEC §11 fault: the gateway PROCESS that holds a webhook in flight is killed with SIGKILL (no
 * shutdown hook, no drain, its lease left in Redis). A second gateway process sends the webhook
 * again once the lease is over — same {@code id}, a later attempt number, signed — and the queue in
 * Redis is empty afterwards. Both kinds are covered: a client-published event and a lifecycle
 * webhook ({@code room.occupied}).
 */
class WebhookGatewayKilledIT {

  private static final String WEBHOOK_SECRET = "webhook-secret-webhook-secret-kill-0001";
  private static final String LEASE = "4s";
  private static final String QUEUE = "{relay:webhooks}";
  private static final Map<String, String> MESSAGE =
      Map.of("messageId", "m1", "conversationId", "7", "content", "held");
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  /** A {@code ./relay gateway} process this test started, and its port. */
  private record Gateway(Process process, int port) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  private RedisProcess redis;
  private WebhookReceiver receiver;
  private Gateway victim;
  private Gateway successor;

  @AfterEach
  void stop() {
    for (Gateway g : new Gateway[] {victim, successor}) {
      if (g != null) {
        g.process().destroyForcibly();
      }
    }
    Services.closeAll(receiver, redis);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void webhooksInFlightOnAKilledGatewayProcessAreSentAgainByTheNextOne() throws Exception {
    redis = RedisProcess.start();
    receiver = new WebhookReceiver(WEBHOOK_SECRET);
    receiver.hold();
    victim = gateway("webhook-killed-gateway.log");

    String room = "conversation:" + UUID.randomUUID();
    String clientEventId;
    long killedAt;
    try (WsTestClient ws = connect(victim, room)) {
      ws.sendJson("type", "publish", "room", room, "event", "message.created", "payload", MESSAGE);
      clientEventId = ws.expectInAnyOrder("ack", "event").get("ack").get("id").asText();

      // the receiver has the first attempt of both in hand and does not answer
      await("both first attempts held by the receiver")
          .atMost(Duration.ofSeconds(10))
          .until(() -> first(clientEventId).isPresent() && occupied(room).isPresent());
      killedAt = kill(victim);
    }
    Hook heldClient = first(clientEventId).orElseThrow();
    Hook heldOccupied = occupied(room).orElseThrow();
    assertThat(heldClient.attempt()).isEqualTo(1);
    assertThat(heldOccupied.attempt()).isEqualTo(1);

    receiver.answer();
    successor = gateway("webhook-successor-gateway.log");
    awaitReady(successor);
    long readyAt = System.nanoTime();

    // only the successor is alive: whatever arrives after the kill came from it
    await("both webhooks sent again by the second gateway process")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                after(killedAt, heldClient.id()) != null
                    && after(killedAt, heldOccupied.id()) != null);
    Hook againClient = after(killedAt, heldClient.id());
    Hook againOccupied = after(killedAt, heldOccupied.id());
    long redelivered = Math.max(againClient.arrivedNanos(), againOccupied.arrivedNanos());
    System.out.printf(
        "figure: WebhookGatewayKilledIT webhooks redelivered %d ms after the SIGKILL"
            + " (lease %s; second gateway ready after %d ms)%n",
        TimeUnit.NANOSECONDS.toMillis(redelivered - killedAt),
        LEASE,
        TimeUnit.NANOSECONDS.toMillis(readyAt - killedAt));

    for (Hook[] pair : new Hook[][] {{heldClient, againClient}, {heldOccupied, againOccupied}}) {
      Hook held = pair[0];
      Hook again = pair[1];
      assertThat(again.id()).isEqualTo(held.id());
      assertThat(again.attempt()).isGreaterThanOrEqualTo(2);
      assertThat(again.body()).as("the exact queued body").isEqualTo(held.body());
      assertThat(again.room()).isEqualTo(room);
      receiver.assertSigned(held);
      receiver.assertSigned(again);
    }
    assertThat(againClient.type()).isEqualTo("message.created");
    assertThat(againClient.json().get("actor").asText()).isEqualTo("author");

    try (RedisClient client = RedisClient.create(redis.url());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> sync = connection.sync();
      await("the queue is empty once the receiver answered")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sync.zcard(QUEUE + ":due") == 0
                      && sync.hlen(QUEUE + ":jobs") == 0
                      && sync.hlen(QUEUE + ":meta") == 0);
      assertThat(sync.get(QUEUE + ":dead:count")).isNull();
    }
  }

  /** A gateway process on the test's own Redis, sending webhooks to the receiver. */
  private Gateway gateway(String logName) {
    int port = Services.freePort();
    return new Gateway(
        Services.gatewayProcess(
            port,
            logName,
            Map.of(
                "REDIS_URL",
                redis.url(),
                "RELAY_WEBHOOK_URL",
                receiver.url(),
                "RELAY_WEBHOOK_SECRET",
                WEBHOOK_SECRET,
                "RELAY_WEBHOOK_EVENTS",
                "client,room.occupied",
                "RELAY_WEBHOOK_LEASE",
                LEASE)),
        port);
  }

  private static void awaitReady(Gateway gateway) {
    await("gateway process ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> Http.get(gateway.uri("/readyz"), null).statusCode() == 200);
  }

  private static WsTestClient connect(Gateway gateway, String room) {
    awaitReady(gateway);
    String token =
        SIGNER.connectionToken(
            "author", null, List.of(room), List.of("publish"), Duration.ofMinutes(2));
    WsTestClient client =
        WsTestClient.connect("ws://127.0.0.1:" + gateway.port() + "/realtime?token=" + token);
    client.expect("welcome");
    return client;
  }

  /**
   * SIGKILL ({@link Process#destroyForcibly()} on Unix), asserted by the exit status 128 + 9;
   * answers when the process was seen dead ({@link System#nanoTime()}).
   */
  private static long kill(Gateway gateway) throws InterruptedException {
    Process process = gateway.process();
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long dead = System.nanoTime();
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    return dead;
  }

  private Optional<Hook> first(String id) {
    return receiver.hooks().stream().filter(h -> id.equals(h.id())).findFirst();
  }

  private Optional<Hook> occupied(String room) {
    return receiver.hooks().stream()
        .filter(h -> room.equals(h.room()) && "room.occupied".equals(h.type()))
        .findFirst();
  }

  private Hook after(long killedAt, String id) {
    return receiver.hooks().stream()
        .filter(h -> id.equals(h.id()) && h.arrivedNanos() > killedAt)
        .findFirst()
        .orElse(null);
  }
}
