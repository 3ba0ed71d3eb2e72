package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
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

/**
 * What only the JSON protocol at /realtime has (SPEC §5, §10), against a real gateway and Redis:
 * the welcome, header auth, the auth deadline, Origin, teamId/taskId shorthands, messages sent
 * before the welcome, application ping. The scenarios both protocols share are in {@code
 * dev.relay.gateway.kit}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonProtocolIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  private GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties("relay.auth.timeout", "1s");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  @Test
  void theWelcomeNamesTheConnectionItsSubRoomsAndExpiry() {
    String session = unique("s");
    try (WsTestClient client =
        WsTestClient.connect(
            gw.wsUrl("?token=" + gw.token("acct-1", session, List.of(), List.of())))) {
      JsonNode welcome = client.expect("welcome");
      assertThat(welcome.get("sub").asText()).isEqualTo("acct-1");
      assertThat(welcome.get("rooms").get(0).asText()).isEqualTo("session:" + session);
      assertThat(welcome.get("connectionId").asText()).isNotBlank();
      assertThat(welcome.get("expiresAt").asText()).isNotBlank();
    }
  }

  @Test
  void subscribesByTeamIdAndTaskIdEchoingThem() {
    String team = unique("t");
    String token = gw.token("acct-1", null, List.of("team:*", "task:*"), List.of());
    try (WsTestClient client = gw.connect(token)) {
      client.sendJson("type", "subscribe", "teamId", team);
      JsonNode subscribed = client.expect("subscribed");
      assertThat(subscribed.get("room").asText()).isEqualTo("team:" + team);
      assertThat(subscribed.get("teamId").asText()).isEqualTo(team);

      client.sendJson("type", "subscribe", "taskId", "T-9");
      assertThat(client.expect("subscribed").get("taskId").asText()).isEqualTo("T-9");

      gw.publish(
          "team:" + team, "task.created", "{\"taskId\":\"T-1\",\"teamId\":\"" + team + "\"}");
      assertThat(client.expectEvents(1).get(0).get("type").asText()).isEqualTo("task.created");
    }
  }

  @Test
  void authenticatesByAuthorizationHeader() {
    String token = gw.token("acct-1", unique("s"), List.of(), List.of());
    try (WsTestClient byHeader = gw.connectRaw("", Map.of("Authorization", "Bearer " + token))) {
      assertThat(byHeader.expect("welcome").get("sub").asText()).isEqualTo("acct-1");
    }
  }

  @Test
  void aConnectionSilentPastTheAuthDeadlineIsClosedUnauthorized() {
    try (WsTestClient silent = gw.connectRaw("", Map.of())) {
      assertThat(silent.expect("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(silent.closeCode()).isEqualTo(4001);
    }
  }

  /** SPEC §10 "Messages before welcome": handled in order once authenticated, never dropped. */
  @Test
  void messagesSentBeforeTheWelcomeAreHandledInOrder() {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = gw.token("acct-1", session, List.of("team:*"), List.of());
    try (WsTestClient client = gw.connectRaw("", Map.of())) {
      // Sent back to back with the token, so they arrive while it is being checked.
      client.sendJson("type", "auth", "token", token);
      client.sendJson("type", "subscribe", "room", team, "ref", "m1");
      client.sendJson("type", "unsubscribe", "room", team, "ref", "m2");
      client.sendJson("type", "subscribe", "room", team, "ref", "m3");
      client.sendJson("type", "ping");
      assertThat(client.expect("welcome").get("sub").asText()).isEqualTo("acct-1");
      assertThat(client.expect("subscribed").get("ref").asText()).isEqualTo("m1");
      assertThat(client.expect("unsubscribed").get("ref").asText()).isEqualTo("m2");
      assertThat(client.expect("subscribed").get("ref").asText()).isEqualTo("m3");
      client.expect("pong");
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
  void answersPingAndExposesOpsEndpoints() throws Exception {
    try (WsTestClient client = gw.connect(gw.token("acct-1", unique("s"), List.of(), List.of()))) {
      client.sendJson("type", "ping");
      client.expect("pong");
      HttpClient http = HttpClient.newHttpClient();
      URI base = server.getURI();
      // Ready once the stream consumer runs, which may be just after the server answers.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
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
