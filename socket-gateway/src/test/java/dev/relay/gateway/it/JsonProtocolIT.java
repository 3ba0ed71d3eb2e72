package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The JSON protocol at /realtime against a real gateway and a real Redis (SPEC §4, §5). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonProtocolIT implements TestPropertyProvider {

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
        "relay.auth.timeout",
        "1s");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  @Test
  void deliversAPublishedEventWithEveryEnvelopeField() {
    String session = unique("s");
    try (WsTestClient client =
        WsTestClient.connect(
            gw.wsUrl("?token=" + gw.token("acct-1", session, List.of(), List.of())))) {
      JsonNode welcome = client.expect("welcome");
      assertThat(welcome.get("sub").asText()).isEqualTo("acct-1");
      assertThat(welcome.get("rooms").get(0).asText()).isEqualTo("session:" + session);
      assertThat(welcome.get("connectionId").asText()).isNotBlank();
      assertThat(welcome.get("expiresAt").asText()).isNotBlank();

      String id =
          gw.publish(
              "session:" + session,
              "vote.cast",
              "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-123\"}");

      JsonNode event = client.expectEvents(1).get(0);
      assertThat(event.get("v").asInt()).isEqualTo(1);
      assertThat(event.get("id").asText()).isEqualTo(id);
      assertThat(event.get("room").asText()).isEqualTo("session:" + session);
      assertThat(event.get("type").asText()).isEqualTo("vote.cast");
      assertThat(event.get("payload").get("issueKey").asText()).isEqualTo("SCRUM-1");
      assertThat(event.get("issuedAt").asText()).isEqualTo("2024-05-01T10:00:00Z");
      assertThat(event.get("publishedAt").asText()).isNotBlank();
      assertThat(event.get("nonce").asText()).isNotBlank();
    }
  }

  @Test
  void aSessionATokenNeverReceivesOrJoinsSessionB() {
    String a = unique("a");
    String b = unique("b");
    try (WsTestClient clientA = gw.connect(gw.token("acct-a", a, List.of(), List.of()));
        WsTestClient clientB = gw.connect(gw.token("acct-b", b, List.of(), List.of()))) {
      clientA.sendJson("type", "subscribe", "room", "session:" + b, "ref", "r1");
      JsonNode error = clientA.expect("error");
      assertThat(error.get("code").asText()).isEqualTo("forbidden");
      assertThat(error.get("ref").asText()).isEqualTo("r1");

      gw.publish("session:" + b, "votes.revealed", "{\"issueKey\":\"X-1\"}");
      assertThat(clientB.expectEvents(1).get(0).get("room").asText()).isEqualTo("session:" + b);
      clientA.expectNothing(Duration.ofMillis(300));
    }
  }

  @Test
  void subscribesByTeamIdAndTaskIdAndUnsubscribes() {
    String team = unique("t");
    String token = gw.token("acct-1", null, List.of("team:*", "task:*"), List.of());
    try (WsTestClient client = gw.connect(token)) {
      client.sendJson("type", "subscribe", "teamId", team);
      JsonNode subscribed = client.expect("subscribed");
      assertThat(subscribed.get("room").asText()).isEqualTo("team:" + team);
      assertThat(subscribed.get("teamId").asText()).isEqualTo(team);
      assertThat(subscribed.get("recovered").asBoolean()).isFalse();

      client.sendJson("type", "subscribe", "taskId", "T-9");
      assertThat(client.expect("subscribed").get("taskId").asText()).isEqualTo("T-9");

      gw.publish(
          "team:" + team, "task.created", "{\"taskId\":\"T-1\",\"teamId\":\"" + team + "\"}");
      assertThat(client.expectEvents(1).get(0).get("type").asText()).isEqualTo("task.created");

      client.sendJson("type", "unsubscribe", "room", "team:" + team);
      assertThat(client.expect("unsubscribed").get("room").asText()).isEqualTo("team:" + team);
      gw.publish(
          "team:" + team, "task.deleted", "{\"taskId\":\"T-1\",\"teamId\":\"" + team + "\"}");
      client.expectNothing(Duration.ofMillis(300));

      client.sendJson("type", "unsubscribe", "room", "team:" + team);
      assertThat(client.expect("error").get("code").asText()).isEqualTo("not_subscribed");
    }
  }

  @Test
  void subscriptionTokenAdmitsOneRoomForTheSameSubOnly() {
    String task = "task:" + unique("k");
    try (WsTestClient client = gw.connect(gw.token("acct-1", null, List.of(), List.of()))) {
      client.sendJson("type", "subscribe", "room", task);
      assertThat(client.expect("error").get("code").asText()).isEqualTo("forbidden");

      String otherSubs = gw.signer.subscriptionToken("acct-2", task, Duration.ofSeconds(60));
      client.sendJson("type", "subscribe", "room", task, "token", otherSubs);
      assertThat(client.expect("error").get("code").asText()).isEqualTo("forbidden");

      String mine = gw.signer.subscriptionToken("acct-1", task, Duration.ofSeconds(60));
      client.sendJson("type", "subscribe", "room", task, "token", mine);
      assertThat(client.expect("subscribed").get("room").asText()).isEqualTo(task);
    }
  }

  @Test
  void authenticatesByHeaderOrFirstMessage() {
    String token = gw.token("acct-1", unique("s"), List.of(), List.of());
    try (WsTestClient byHeader = gw.connectRaw("", Map.of("Authorization", "Bearer " + token))) {
      assertThat(byHeader.expect("welcome").get("sub").asText()).isEqualTo("acct-1");
    }
    try (WsTestClient byMessage = gw.connectRaw("", Map.of())) {
      byMessage.sendJson("type", "auth", "token", token);
      assertThat(byMessage.expect("welcome").get("sub").asText()).isEqualTo("acct-1");
    }
  }

  /**
   * SPEC §10: messages sent before {@code welcome} are handled in order after it, never dropped.
   */
  @Test
  void messagesSentBeforeWelcomeAreHandledInOrderAfterIt() {
    String team = unique("t");
    String token = gw.token("acct-1", null, List.of("team:*"), List.of());
    try (WsTestClient client = gw.connectRaw("", Map.of())) {
      client.sendJson("type", "auth", "token", token);
      client.sendJson("type", "subscribe", "room", "team:" + team, "ref", "a");
      client.sendJson("type", "ping");
      client.sendJson("type", "unsubscribe", "room", "team:" + team, "ref", "b");
      assertThat(client.expect("welcome").get("sub").asText()).isEqualTo("acct-1");
      assertThat(client.expect("subscribed").get("ref").asText()).isEqualTo("a");
      client.expect("pong");
      assertThat(client.expect("unsubscribed").get("ref").asText()).isEqualTo("b");
    }
  }

  /** SPEC §10: subscribe and unsubscribe share a per-connection bucket (20/s, burst 40). */
  @Test
  void subscriptionChurnIsRateLimitedPerConnection() {
    String token = gw.token("acct-1", null, List.of("team:*"), List.of());
    try (WsTestClient client = gw.connect(token)) {
      for (int i = 0; i < 100; i++) {
        client.sendJson("type", i % 2 == 0 ? "subscribe" : "unsubscribe", "room", "team:churn");
      }
      int refused = 0;
      for (int i = 0; i < 100; i++) {
        JsonNode answer = client.expect(m -> true, "an answer");
        if (i < 40) {
          assertThat(answer.get("type").asText()).isIn("subscribed", "unsubscribed");
        } else if ("error".equals(answer.get("type").asText())) {
          assertThat(answer.get("code").asText()).isIn("rate_limited", "not_subscribed");
          refused += "rate_limited".equals(answer.get("code").asText()) ? 1 : 0;
        }
      }
      assertThat(refused).isGreaterThan(0);
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void badTokensAreRefusedWithTheirCodes() {
    String expired =
        gw.signer.sign(
            new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .subject("acct-1")
                .issueTime(java.util.Date.from(java.time.Instant.now().minusSeconds(200)))
                .expirationTime(java.util.Date.from(java.time.Instant.now().minusSeconds(60)))
                .build());
    try (WsTestClient client = gw.connectRaw("?token=" + expired, Map.of())) {
      assertThat(client.expect("error").get("code").asText()).isEqualTo("token_expired");
      assertThat(client.closeCode()).isEqualTo(4008);
    }
    try (WsTestClient client = gw.connectRaw("?token=not.a.token", Map.of())) {
      assertThat(client.expect("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(client.closeCode()).isEqualTo(4001);
    }
    try (WsTestClient client = gw.connectRaw("", Map.of())) {
      client.sendJson("type", "subscribe", "room", "team:1");
      assertThat(client.expect("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(client.closeCode()).isEqualTo(4001);
    }
    try (WsTestClient silent = gw.connectRaw("", Map.of())) {
      assertThat(silent.expect("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(silent.closeCode()).isEqualTo(4001);
    }
  }

  @Test
  void refusesBrowserOriginsNotAllowed() {
    String token = gw.token("acct-1", unique("s"), List.of(), List.of());
    assertThatThrownBy(
            () -> gw.connectRaw("?token=" + token, Map.of("Origin", "https://evil.example.com")))
        .hasStackTraceContaining("403");
    try (WsTestClient allowed =
        gw.connectRaw("?token=" + token, Map.of("Origin", GatewayFixture.ALLOWED_ORIGIN))) {
      allowed.expect("welcome");
    }
  }

  @Test
  void malformedFramesGetErrorsAndNeverDisturbOthers() {
    String session = unique("s");
    try (WsTestClient bystander = gw.connect(gw.token("acct-2", session, List.of(), List.of()));
        WsTestClient hostile = gw.connect(gw.token("acct-1", unique("h"), List.of(), List.of()))) {
      List<String> bad =
          List.of(
              "not json",
              "",
              "[]",
              "null",
              "42",
              "{}",
              "{\"type\":7}",
              "{\"type\":\"nope\"}",
              "{\"type\":\"subscribe\"}",
              "{\"type\":\"subscribe\",\"room\":\"NOT A ROOM\"}",
              "{\"type\":\"subscribe\",\"room\":\"a:b\",\"teamId\":\"1\"}",
              "{\"type\":\"publish\",\"room\":\"a:b\",\"event\":\"x\",\"payload\":[]}",
              "{\"type\":\"ping\"} trailing",
              "{\"type\":\"ping\",\"type\":\"auth\"}",
              "{\"type\":\"subscribe\",\"room\":\"" + "x".repeat(5000) + "\"}",
              "[".repeat(10_000),
              "{\"a\":".repeat(2000) + "1" + "}".repeat(2000),
              "{\"type\":\"\\ud800\"}",
              "\u0000\u0001");
      for (String frame : bad) {
        hostile.send(frame);
        JsonNode answer = hostile.expect("error");
        assertThat(answer.get("code").asText()).as(frame).isEqualTo("invalid_message");
      }
      hostile.send("{\"type\":\"ping\"}");
      hostile.expect("pong");

      gw.publish("session:" + session, "participant.joined", "{\"participantId\":\"p1\"}");
      assertThat(bystander.expectEvents(1).get(0).get("type").asText())
          .isEqualTo("participant.joined");

      hostile.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      assertThat(hostile.closeCode()).isEqualTo(1009);

      gw.publish("session:" + session, "participant.left", "{\"participantId\":\"p1\"}");
      assertThat(bystander.expectEvents(1).get(0).get("type").asText())
          .isEqualTo("participant.left");
    }
  }

  @Test
  void recoversMissedEventsWithSinceAndRefusesUnknownIds() {
    String team = "team:" + unique("r");
    String token = gw.token("acct-1", null, List.of("team:*"), List.of());
    String first = gw.publish(team, "task.created", "{\"taskId\":\"1\",\"teamId\":\"x\"}");
    String second = gw.publish(team, "task.updated", "{\"taskId\":\"1\",\"teamId\":\"x\"}");
    String third = gw.publish(team, "task.deleted", "{\"taskId\":\"1\",\"teamId\":\"x\"}");
    try (WsTestClient client = gw.connect(token)) {
      client.sendJson("type", "subscribe", "room", team, "since", first);
      assertThat(client.expect("subscribed").get("recovered").asBoolean()).isTrue();
      List<JsonNode> replayed = client.expectEvents(2);
      assertThat(replayed).extracting(e -> e.get("id").asText()).containsExactly(second, third);

      String live = gw.publish(team, "task.assigned", "{\"taskId\":\"1\",\"teamId\":\"x\"}");
      assertThat(client.expectEvents(1).get(0).get("id").asText()).isEqualTo(live);

      client.sendJson("type", "subscribe", "room", team, "since", first);
      assertThat(client.expect("subscribed").get("recovered").asBoolean()).isTrue();
      client.expectNothing(Duration.ofMillis(300));
    }
    try (WsTestClient client = gw.connect(token)) {
      client.sendJson("type", "subscribe", "room", team, "since", "garbage");
      assertThat(client.expect("subscribed").get("recovered").asBoolean()).isFalse();
    }
  }

  @Test
  void clientPublishNeedsThePublishScopeAndCarriesTheActor() {
    String room = "conversation:" + unique("c");
    try (WsTestClient writer =
            gw.connect(gw.token("user-a", null, List.of(room), List.of("publish")));
        WsTestClient reader = gw.connect(gw.token("user-b", null, List.of(room), List.of()))) {
      writer.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "message.created",
          "ref",
          "c1",
          "payload",
          Map.of("messageId", "m1", "conversationId", "7", "content", "hi"));
      Map<String, JsonNode> answers = writer.expectInAnyOrder("ack", "event");
      JsonNode ack = answers.get("ack");
      assertThat(ack.get("ref").asText()).isEqualTo("c1");
      JsonNode event = reader.expectEvents(1).get(0);
      assertThat(event.get("id").asText()).isEqualTo(ack.get("id").asText());
      assertThat(event.get("actor").asText()).isEqualTo("user-a");
      assertThat(answers.get("event").get("event").get("actor").asText()).isEqualTo("user-a");

      reader.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "message.created",
          "ref",
          "c2",
          "payload",
          Map.of("messageId", "m2", "conversationId", "7", "content", "no"));
      assertThat(reader.expect("error").get("code").asText()).isEqualTo("forbidden");

      writer.sendJson(
          "type",
          "publish",
          "room",
          room,
          "event",
          "message.created",
          "payload",
          Map.of("content", "x"));
      assertThat(writer.expect("error").get("code").asText()).isEqualTo("invalid_message");
    }
  }

  @Test
  void closesAConnectionWhoseTokenExpiresUnrefreshed() {
    String shortLived =
        gw.signer.connectionToken(
            "acct-1", unique("s"), List.of(), List.of(), Duration.ofSeconds(2));
    try (WsTestClient client = gw.connect(shortLived)) {
      assertThat(client.closeCode()).isEqualTo(4008);
    }
  }

  @Test
  void refreshExtendsTheConnectionForTheSameSubOnlyAndNarrowsItsRooms() {
    String session = unique("s");
    String shortLived =
        gw.signer.connectionToken("acct-1", session, List.of(), List.of(), Duration.ofSeconds(3));
    try (WsTestClient client = gw.connect(shortLived)) {
      client.sendJson("type", "refresh", "token", gw.token("acct-2", null, List.of(), List.of()));
      assertThat(client.expect("error").get("code").asText()).isEqualTo("forbidden");
      // The new token grants no session room: the connection leaves it and is told why (§10).
      client.sendJson(
          "type", "refresh", "token", gw.token("acct-1", null, List.of(), List.of()), "ref", "r");
      assertThat(client.expect("refreshed").get("ref").asText()).isEqualTo("r");
      JsonNode left = client.expect("unsubscribed");
      assertThat(left.get("room").asText()).isEqualTo("session:" + session);
      assertThat(left.get("reason").asText()).isEqualTo("revoked");
      gw.publish("session:" + session, "votes.revealed", "{\"issueKey\":\"X-1\"}");
      client.expectNothing(Duration.ofSeconds(4));
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void answersPingAndExposesOpsEndpoints() throws Exception {
    try (WsTestClient client = gw.connect(gw.token("acct-1", unique("s"), List.of(), List.of()))) {
      client.sendJson("type", "ping");
      client.expect("pong");
      HttpClient http = HttpClient.newHttpClient();
      URI base = server.getURI();
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(base.resolve("/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(base.resolve("/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body())
          .contains("relay_connected_clients")
          .contains("relay_events_delivered_total");
    }
  }
}
