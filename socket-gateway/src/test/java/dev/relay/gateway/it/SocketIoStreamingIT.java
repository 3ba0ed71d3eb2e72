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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Streamed messages (SPEC §12) with the stock socket.io-client: deltas sent by the client itself
 * through {@code publish} acks, and its own connection-state recovery mid-stream, after which it
 * gets one {@code message.snapshot} (not the missed deltas) and then the rest live, ending with
 * exactly the full text.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoStreamingIT implements TestPropertyProvider {

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

  private static Map<String, Object> delta(int seq) {
    return Map.of("messageId", "m1", "conversationId", "c1", "seq", seq, "delta", "w" + seq + " ");
  }

  private static String text(int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int seq = from; seq <= to; seq++) {
      text.append("w").append(seq).append(' ');
    }
    return text.toString();
  }

  @Test
  void theStockClientStreamsAndRecoversMidStreamWithOneSnapshot() {
    String room = "conversation:" + unique("c");
    String token = gw.token("acct-1", unique("s"), List.of("conversation:*"), List.of("publish"));
    try (NodeClient client = NodeClient.start(url(), token, "websocket")) {
      client.expect("connect");
      assertThat(client.request("subscribe", Map.of("room", room)).get("ok").asBoolean()).isTrue();
      StringBuilder seen = new StringBuilder();
      for (int seq = 1; seq <= 3; seq++) {
        JsonNode ack =
            client.request(
                "publish", Map.of("room", room, "event", "message.delta", "payload", delta(seq)));
        assertThat(ack.get("ok").asBoolean()).as(ack.toString()).isTrue();
        JsonNode event = client.eventWithId(ack.get("id").asText()).get("envelope");
        seen.append(event.get("payload").get("delta").asText());
      }
      JsonNode gap =
          client.request(
              "publish", Map.of("room", room, "event", "message.delta", "payload", delta(5)));
      assertThat(gap.get("code").asText()).isEqualTo("out_of_sequence");

      client.command("close-engine");
      client.expect("disconnect");
      for (int seq = 4; seq <= 9; seq++) {
        gw.publish(room, "message.delta", json(delta(seq)));
      }
      client.command("connect");
      assertThat(client.expect("connect").get("recovered").asBoolean()).isTrue();
      JsonNode snapshot = client.expect("event").get("envelope");
      assertThat(snapshot.get("type").asText()).isEqualTo("message.snapshot");
      assertThat(snapshot.get("payload").get("seq").asInt()).isEqualTo(9);
      assertThat(snapshot.get("payload").get("content").asText())
          .startsWith(seen.toString())
          .isEqualTo(text(1, 9));
      client.expectNoEvent(Duration.ofMillis(300));

      gw.publish(room, "message.delta", json(delta(10)));
      JsonNode next = client.expect("event").get("envelope");
      assertThat(next.get("payload").get("seq").asInt()).isEqualTo(10);
      JsonNode done =
          client.request(
              "publish",
              Map.of(
                  "room",
                  room,
                  "event",
                  "message.completed",
                  "payload",
                  Map.of("messageId", "m1", "conversationId", "c1", "content", text(1, 10))));
      assertThat(done.get("ok").asBoolean()).isTrue();
      assertThat(client.eventWithId(done.get("id").asText()).get("envelope").get("type").asText())
          .isEqualTo("message.completed");
    }
  }

  private static String json(Map<String, Object> payload) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(payload);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
