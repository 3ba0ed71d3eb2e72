package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stock socket.io-client v4 (Node, src/test/node) against a real gateway and Redis (SPEC §6):
 * what proves the unchanged client works — transports and upgrade, connect_error messages, ack
 * callbacks, the disconnect reason on token expiry, its own recovery. The scenarios both protocols
 * share run in {@code dev.relay.gateway.kit} with a protocol-level client.
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
    return GatewayFixture.properties(
        "relay.sio.ping.interval", "1s", "relay.sio.ping.timeout", "2s");
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
  void defaultTransportsUpgradeFromPollingToWebSocketAndDeliverEvents() {
    String session = unique("s");
    try (NodeClient client =
        NodeClient.start(
            url(), token("acct-1", session, List.of(), List.of()), "polling,websocket")) {
      assertThat(client.expect("open").get("transport").asText()).isEqualTo("polling");
      assertThat(client.expect("upgrade").get("transport").asText()).isEqualTo("websocket");
      if (client.seen().stream().noneMatch(l -> l.path("on").asText().equals("connect"))) {
        client.expect("connect"); // the rooms are joined at CONNECT, which may follow the upgrade
      }
      assertThat(client.seen()).noneMatch(line -> line.path("on").asText().equals("disconnect"));

      String id = gw.publish("session:" + session, "vote.cast", VOTE);

      JsonNode line = client.expect("event");
      assertThat(client.seen()).anyMatch(l -> l.path("on").asText().equals("connect"));
      JsonNode envelope = line.get("envelope");
      assertThat(envelope.get("id").asText()).isEqualTo(id);
      assertThat(envelope.get("payload").get("value").asText()).isEqualTo("5");
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
  void requestsAreAnsweredThroughAckCallbacks() {
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = token("acct-7", session, List.of("team:*"), List.of("subscribe", "publish"));
    try (NodeClient client = NodeClient.start(url(), token, "websocket")) {
      client.expect("connect");
      JsonNode sub = client.request("subscribe", Map.of("room", team));
      assertThat(sub.get("ok").asBoolean()).isTrue();
      assertThat(sub.get("room").asText()).isEqualTo(team);
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
      JsonNode unknown = client.request("dance", Map.of("room", team));
      assertThat(unknown.get("ok").asBoolean()).isFalse();
      assertThat(unknown.get("code").asText()).isEqualTo("invalid_message");
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

  /** The stock client's own recovery (pid, offset, {@code socket.recovered}) after an upgrade. */
  @Test
  void recoversOverPollingWithUpgrade() {
    String transports = "polling,websocket";
    String session = unique("s");
    String team = "team:" + unique("t");
    String token = token("acct-1", session, List.of("team:*"), List.of());
    try (NodeClient client = NodeClient.start(url(), token, transports)) {
      client.expect("connect");
      assertThat(client.request("subscribe", Map.of("room", team)).get("ok").asBoolean()).isTrue();
      // One event in one room is enough: the offset it carries names every room of the
      // connection, the other one at its start position (docs/protocol-socketio.md, "Offsets").
      String first = gw.publish(team, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(first);

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
      // within a room; ids of two rooms are not comparable, so no order between them).
      assertThat(got).containsExactlyInAnyOrderElementsOf(missed);
      assertThat(gotByRoom).isEqualTo(missedByRoom);
      client.expectNoEvent(Duration.ofMillis(300));

      String live = gw.publish(team, "vote.cast", VOTE);
      assertThat(client.expect("event").get("envelope").get("id").asText()).isEqualTo(live);
    }
  }
}
