package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.relay.engine.EventLog;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stock socket.io-client v4 (Node, src/test/node) against a real gateway and Redis (SPEC §6):
 * transports and upgrade, events, auth errors, isolation, acks, token expiry and recovery.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoIT implements TestPropertyProvider {

  static final String VOTE = "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"a-1\"}";

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  private GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url",
        TestRedis.url(),
        "jwt.signing.secret",
        GatewayFixture.SECRET,
        "relay.allowed.origins",
        GatewayFixture.ALLOWED_ORIGIN,
        "relay.sio.ping.interval",
        "1s",
        "relay.sio.ping.timeout",
        "2s",
        "relay.connect.limit.per.ip",
        "100000/min",
        "relay.connect.limit.per.sub",
        "100000/min");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  private String url() {
    return "http://" + server.getHost() + ":" + server.getPort();
  }

  private String token(String sub, String session, List<String> rooms, List<String> scopes) {
    return gw.token(sub, session, rooms, scopes);
  }

  @Test
  void defaultTransportsUpgradeFromPollingToWebSocketAndDeliverEveryEnvelopeField() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(
            url(), token("acct-1", session, List.of(), List.of()), "polling,websocket")) {
      assertThat(client.expect("open").get("transport").asText()).isEqualTo("polling");
      assertThat(client.expect("upgrade").get("transport").asText()).isEqualTo("websocket");
      assertThat(client.seen()).noneMatch(line -> line.path("on").asText().equals("disconnect"));

      String id = gw.publish("session:" + session, "vote.cast", VOTE);

      JsonNode line = client.expect("event");
      assertThat(client.seen()).anyMatch(l -> l.path("on").asText().equals("connect"));
      JsonNode envelope = line.get("envelope");
      assertThat(envelope.get("v").asInt()).isEqualTo(1);
      assertThat(envelope.get("id").asText()).isEqualTo(id);
      assertThat(envelope.get("room").asText()).isEqualTo("session:" + session);
      assertThat(envelope.get("type").asText()).isEqualTo("vote.cast");
      assertThat(envelope.get("payload").get("value").asText()).isEqualTo("5");
      assertThat(envelope.get("issuedAt").asText()).isEqualTo("2024-05-01T10:00:00Z");
      assertThat(envelope.get("publishedAt").asText()).isNotBlank();
      assertThat(envelope.get("nonce").asText()).isNotBlank();
      assertThat(line.get("offset").asText()).isNotBlank();
    }
  }

  @Test
  void pollingOnlyDeliversEventsAndAcks() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(url(), token("acct-1", session, List.of(), List.of()), "polling")) {
      assertThat(client.expect("connect").get("transport").asText()).isEqualTo("polling");
      String id = gw.publish("session:" + session, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(id);
      JsonNode reply = client.request("unsubscribe", Map.of("room", "session:" + session));
      assertThat(reply.get("ok").asBoolean()).isTrue();
    }
  }

  @Test
  void websocketOnlyConnectsWithoutPolling() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(url(), token("acct-1", session, List.of(), List.of()), "websocket")) {
      assertThat(client.expect("open").get("transport").asText()).isEqualTo("websocket");
      assertThat(client.expect("connect").get("transport").asText()).isEqualTo("websocket");
      String id = gw.publish("session:" + session, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void badTokenIsAConnectErrorWhoseMessageIsUnauthorized() {
    try (NodeClient client = NodeClient.start(url(), "not-a-jwt", "websocket")) {
      assertThat(client.expect("connect_error").get("message").asText()).isEqualTo("unauthorized");
    }
    try (NodeClient client = NodeClient.start(url(), null, "polling,websocket")) {
      assertThat(client.expect("connect_error").get("message").asText()).isEqualTo("unauthorized");
    }
  }

  @Test
  void expiredTokenIsAConnectErrorWhoseMessageIsTokenExpired() {
    Instant past = Instant.now().minusSeconds(200);
    String expired =
        gw.signer.sign(
            new JWTClaimsSet.Builder()
                .subject("acct-1")
                .claim("sessionId", "x")
                .issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(100)))
                .build());
    try (NodeClient client = NodeClient.start(url(), expired, "websocket")) {
      assertThat(client.expect("connect_error").get("message").asText()).isEqualTo("token_expired");
    }
  }

  @Test
  void sessionsAreIsolated() {
    String a = unique("a");
    String b = unique("b");
    try (NodeClient ca =
            NodeClient.start(url(), token("u-a", a, List.of(), List.of()), "websocket");
        NodeClient cb =
            NodeClient.start(url(), token("u-b", b, List.of(), List.of()), "websocket")) {
      ca.expect("connect");
      cb.expect("connect");
      JsonNode refused = cb.request("subscribe", Map.of("room", "session:" + a));
      assertThat(refused.get("ok").asBoolean()).isFalse();
      assertThat(refused.get("code").asText()).isEqualTo("forbidden");

      String forB = gw.publish("session:" + b, "vote.cast", VOTE);
      String forA = gw.publish("session:" + a, "vote.cast", VOTE);
      assertThat(ca.expect("event").get("envelope").get("id").asText()).isEqualTo(forA);
      assertThat(cb.expect("event").get("envelope").get("id").asText()).isEqualTo(forB);
      ca.expectNoEvent(Duration.ofMillis(300));
      cb.expectNoEvent(Duration.ofMillis(300));
    }
  }

  @Test
  void requestsAreAnsweredThroughAckCallbacks() {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token =
        token("acct-7", session, List.of("team:*"), List.of("subscribe", "publish", "presence"));
    try (NodeClient client = NodeClient.start(url(), token, "websocket")) {
      client.expect("connect");
      JsonNode sub = client.request("subscribe", Map.of("room", team));
      assertThat(sub.get("ok").asBoolean()).isTrue();
      assertThat(sub.get("room").asText()).isEqualTo(team);
      assertThat(sub.get("recovered").asBoolean()).isFalse();

      JsonNode bad = client.request("subscribe", Map.of("room", "no room"));
      assertThat(bad.get("code").asText()).isEqualTo("invalid_message");
      JsonNode forbidden = client.request("subscribe", Map.of("room", "task:1"));
      assertThat(forbidden.get("code").asText()).isEqualTo("forbidden");

      JsonNode published =
          client.request(
              "publish",
              Map.of(
                  "room",
                  team,
                  "event",
                  "task.created",
                  "payload",
                  Map.of("taskId", "1", "teamId", "t")));
      assertThat(published.get("ok").asBoolean()).isTrue();
      String id = published.get("id").asText();
      assertThat(client.eventWithId(id).get("envelope").get("type").asText())
          .isEqualTo("task.created");
      JsonNode notJoined =
          client.request(
              "publish",
              Map.of("room", "team:other", "event", "task.created", "payload", Map.of()));
      assertThat(notJoined.get("code").asText()).isEqualTo("forbidden");

      JsonNode presence = client.request("presence", Map.of("room", team));
      assertThat(presence.get("ok").asBoolean()).isTrue();
      assertThat(presence.get("members").get(0).get("sub").asText()).isEqualTo("acct-7");
      assertThat(presence.get("members").get(0).get("joinedAt").asText()).isNotBlank();

      JsonNode left = client.request("unsubscribe", Map.of("room", team));
      assertThat(left.get("ok").asBoolean()).isTrue();
      JsonNode again = client.request("unsubscribe", Map.of("room", team));
      assertThat(again.get("code").asText()).isEqualTo("not_subscribed");
      JsonNode noPresence = client.request("presence", Map.of("room", team));
      assertThat(noPresence.get("code").asText()).isEqualTo("not_subscribed");
      JsonNode unknown = client.request("dance", Map.of("room", team));
      assertThat(unknown.get("code").asText()).isEqualTo("invalid_message");

      JsonNode refreshed =
          client.request(
              "refresh", Map.of("token", token("acct-7", session, List.of(), List.of())));
      assertThat(refreshed.get("ok").asBoolean()).isTrue();
      assertThat(refreshed.get("expiresAt").asText()).isNotBlank();
      JsonNode otherUser =
          client.request(
              "refresh", Map.of("token", token("someone", session, List.of(), List.of())));
      assertThat(otherUser.get("code").asText()).isEqualTo("forbidden");
      JsonNode garbage = client.request("refresh", Map.of("token", "x"));
      assertThat(garbage.get("code").asText()).isEqualTo("unauthorized");
    }
  }

  @Test
  void withoutPresenceScopeTheAckSaysForbidden() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(url(), token("acct-1", session, List.of(), List.of()), "websocket")) {
      client.expect("connect");
      JsonNode reply = client.request("presence", Map.of("room", "session:" + session));
      assertThat(reply.get("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void anExpiringTokenGivesAnErrorEventThenAServerDisconnect() {
    String session = unique("s");
    String shortLived =
        gw.signer.connectionToken("acct-1", session, List.of(), List.of(), Duration.ofSeconds(2));
    try (NodeClient client = NodeClient.start(url(), shortLived, "websocket")) {
      client.expect("connect");
      assertThat(client.expect("error").get("error").get("code").asText())
          .isEqualTo("token_expired");
      assertThat(client.expect("disconnect").get("reason").asText())
          .isEqualTo("io server disconnect");
    }
  }

  @Test
  void recoversAfterTheEngineClosesWithExactlyTheMissedEventsInOrder() {
    recoverAfterEngineClose("websocket");
  }

  @Test
  void recoversOverPollingWithUpgradeToo() {
    recoverAfterEngineClose("polling,websocket");
  }

  private void recoverAfterEngineClose(String transports) {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = token("acct-1", session, List.of("team:*"), List.of());
    try (NodeClient client = NodeClient.start(url(), token, transports)) {
      client.expect("connect");
      assertThat(client.request("subscribe", Map.of("room", team)).get("ok").asBoolean()).isTrue();
      // One event in each room before the drop: the offset then names both partitions' epochs
      // even on a fresh Redis (docs/protocol-socketio.md, "Limits").
      String first = gw.publish(team, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(first);
      String second = gw.publish("session:" + session, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(second);

      client.command("close-engine");
      assertThat(client.expect("disconnect").get("reason").asText()).isEqualTo("forced close");
      List<String> missed = new ArrayList<>();
      Map<String, List<String>> missedByRoom = new java.util.HashMap<>();
      for (int i = 0; i < 5; i++) {
        String room = i % 2 == 0 ? "session:" + session : team;
        String id = gw.publish(room, "vote.cast", VOTE);
        missed.add(id);
        missedByRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(id);
      }
      client.command("connect");
      assertThat(client.expect("connect").get("recovered").asBoolean()).isTrue();
      List<String> got = new ArrayList<>();
      Map<String, List<String>> gotByRoom = new java.util.HashMap<>();
      for (JsonNode e : client.events(5)) {
        String id = e.get("envelope").get("id").asText();
        got.add(id);
        gotByRoom
            .computeIfAbsent(e.get("envelope").get("room").asText(), r -> new ArrayList<>())
            .add(id);
      }
      // Exactly the missed events, none twice, each room in its order (SPEC §7 orders events
      // within a room; two rooms in two partitions have no order between them).
      assertThat(got).containsExactlyInAnyOrderElementsOf(missed);
      assertThat(gotByRoom).isEqualTo(missedByRoom);
      client.expectNoEvent(Duration.ofMillis(300));

      String live = gw.publish(team, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(live);
    }
  }

  @Test
  void anUnknownPidOrOffsetIsNotRecovered() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(url(), token("acct-1", session, List.of(), List.of()), "websocket")) {
      client.expect("connect");
      client.command("close-engine");
      client.expect("disconnect");
      client.command("connect");
      // No event was received, so the client has no offset: a fresh state, as with Socket.IO.
      assertThat(client.expect("connect").get("recovered").asBoolean()).isFalse();
    }
  }
}
