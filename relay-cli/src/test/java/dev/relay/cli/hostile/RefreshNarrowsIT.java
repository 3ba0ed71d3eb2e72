package dev.relay.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testkit.RawWebSocket;
import dev.relay.testkit.WsTestClient;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack: a client keeps a room its credentials no longer grant, by refreshing with a token for
 * another session, or by revoking nothing but the token it connected with.
 *
 * <p>Bound (SPEC §10 "Refresh narrows"): after {@code refresh} the connection leaves every room
 * that neither the new token nor a subscription token it still holds grants, and is told ({@code
 * unsubscribed}, {@code "reason":"revoked"}; Socket.IO event {@code unsubscribed} {@code {room,
 * reason}}); no further event of that room reaches it. Revoking the {@code jti} of any token a live
 * connection used closes it (4001) within a few seconds.
 */
@ExtendWith(SharedStack.class)
class RefreshNarrowsIT {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static HostileStack stack;

  @BeforeAll
  static void start(HostileStack shared) {
    stack = shared;
  }

  @Test
  void refreshForAnotherSessionLeavesTheOldSessionRoomOnJson() throws Exception {
    String sub = "narrow-" + UUID.randomUUID();
    String oldSession = "old-" + UUID.randomUUID();
    try (WsTestClient client = json(Tokens.connection(sub, oldSession, List.of(), List.of()))) {
      assertThat(client.expect("welcome").get("rooms").toString())
          .contains("session:" + oldSession);

      Tokens.Token other = Tokens.connection(sub, "new-" + UUID.randomUUID(), List.of(), List.of());
      client.sendJson("type", "refresh", "token", other.jwt());
      JsonNode told =
          awaitMessage(
              client,
              m ->
                  "unsubscribed".equals(m.path("type").asText())
                      && ("session:" + oldSession).equals(m.path("room").asText()));
      assertThat(told.path("reason").asText()).isEqualTo("revoked");

      assertThat(stack.publish("session:" + oldSession, "note.sent", "{\"n\":1}")).isEqualTo(202);
      List<String> after = new ArrayList<>();
      for (JsonNode next = client.poll(Duration.ofSeconds(1));
          next != null;
          next = client.poll(Duration.ofSeconds(1))) {
        after.add(next.path("type").asText());
      }
      assertThat(after).as("messages after leaving the room").doesNotContain("event");
    }
  }

  @Test
  void refreshKeepsARoomGrantedByASubscriptionTokenStillHeld() throws Exception {
    String sub = "keeper-" + UUID.randomUUID();
    String task = "task:" + UUID.randomUUID();
    try (WsTestClient client = json(Tokens.connection(sub, null, List.of(), List.of()))) {
      client.expect("welcome");
      client.sendJson("type", "subscribe", "room", task, "token", Tokens.subscription(sub, task));
      client.expect("subscribed");
      client.sendJson(
          "type", "refresh", "token", Tokens.connection(sub, null, List.of(), List.of()).jwt());
      client.expect("refreshed");

      assertThat(stack.publish(task, "note.sent", "{\"n\":1}")).isEqualTo(202);
      assertThat(client.expectEvent("note.sent").path("room").asText()).isEqualTo(task);
    }
  }

  @Test
  void revokingTheTokenAConnectionStartedWithClosesItAfterARefresh() throws Exception {
    String sub = "revoked-" + UUID.randomUUID();
    String session = "s-" + UUID.randomUUID();
    Tokens.Token first = Tokens.connection(sub, session, List.of(), List.of());
    try (WsTestClient client = json(first)) {
      client.expect("welcome");
      client.sendJson(
          "type", "refresh", "token", Tokens.connection(sub, session, List.of(), List.of()).jwt());
      client.expect("refreshed");

      assertThat(stack.revoke(first.jti(), first.exp())).isBetween(200, 204);
      await("the connection closed after its first token was revoked")
          .atMost(Duration.ofSeconds(5))
          .until(client::isClosed);
      assertThat(client.closeCode()).isEqualTo(4001);
    }
  }

  @Test
  void refreshForAnotherSessionLeavesTheOldSessionRoomOnSocketIo() throws Exception {
    String sub = "sio-narrow-" + UUID.randomUUID();
    String oldSession = "old-" + UUID.randomUUID();
    RawWebSocket socket =
        SocketIoRaw.connect(
            stack.gatewayAddress(),
            Tokens.connection(sub, oldSession, List.of(), List.of()).jwt(),
            64 * 1024);
    try {
      String other = Tokens.connection(sub, "new-" + UUID.randomUUID(), List.of(), List.of()).jwt();
      SocketIoRaw.emit(socket, 1, "refresh", Map.of("token", other));
      JsonNode told = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> seen = new ArrayList<>();
      try {
        while (told == null && System.nanoTime() < deadline) {
          JsonNode args = SocketIoRaw.arguments(SocketIoRaw.next(socket, "2", WAIT));
          seen.add(args.path(0).asText());
          if (args.path(0).asText().equals("unsubscribed")) {
            told = args.path(1);
          }
        }
      } catch (SocketTimeoutException quiet) {
        // reported below
      }
      assertThat(told)
          .as("an unsubscribed event within %s; events seen: %s", WAIT, seen)
          .isNotNull();
      assertThat(told.path("room").asText()).isEqualTo("session:" + oldSession);
      assertThat(told.path("reason").asText()).isEqualTo("revoked");
    } finally {
      socket.close();
    }
  }

  private static WsTestClient json(Tokens.Token token) {
    return WsTestClient.connect(
        "ws://127.0.0.1:" + stack.gateway().getPort() + "/realtime?token=" + token.jwt());
  }

  /** The first message matching {@code wanted} among those arriving within {@link #WAIT}. */
  private static JsonNode awaitMessage(WsTestClient client, Predicate<JsonNode> wanted) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (JsonNode next = client.poll(WAIT);
        next != null;
        next = client.poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
      if (wanted.test(next)) {
        return next;
      }
      seen.add(next.path("type").asText());
    }
    throw new AssertionError("no such message within " + WAIT + "; seen: " + seen);
  }
}
