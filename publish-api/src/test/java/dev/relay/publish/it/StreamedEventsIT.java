package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.publish.it.HttpProbe.Answer;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Streamed messages through {@code POST /v1/events} and {@code :batch} (SPEC §12) against a real
 * Redis: deltas are accepted, a repeated seq is a duplicate, the engine's refusals are 409 problems
 * with their code, {@code message.snapshot} is the relay's own, and deltas never appear in {@code
 * GET /v1/rooms/{room}/history} while the completion does.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamedEventsIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;

  private HttpProbe http;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", TestRedis.url(), "relay.api.key", KEYS);
  }

  @BeforeEach
  void connect() {
    http = new HttpProbe(server.getURI());
  }

  private static String delta(String room, int seq, String text) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"message.delta\",\"payload\":{\"messageId\":\"m1\","
        + "\"conversationId\":\"c1\",\"seq\":"
        + seq
        + ",\"delta\":\""
        + text
        + "\"}}";
  }

  private static String completed(String room, String content) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"message.completed\",\"payload\":{\"messageId\":\"m1\","
        + "\"conversationId\":\"c1\",\"content\":\""
        + content
        + "\"}}";
  }

  @Test
  void deltasAreAcceptedARepeatIsADuplicateAndRefusalsAre409WithTheirCode() {
    String room = "conversation:" + UUID.randomUUID();
    Answer first = http.publish("/v1/events", delta(room, 1, "Hel"));
    Answer again = http.publish("/v1/events", delta(room, 1, "Hel"));
    Answer gap = http.publish("/v1/events", delta(room, 3, "!"));
    Answer oversized = http.publish("/v1/events", delta(room, 2, "x".repeat(4097)));
    Answer snapshot =
        http.publish(
            "/v1/events",
            "{\"room\":\""
                + room
                + "\",\"event\":\"message.snapshot\",\"payload\":{\"messageId\":\"m1\","
                + "\"conversationId\":\"c1\",\"seq\":1,\"content\":\"x\"}}");
    Answer done = http.publish("/v1/events", completed(room, "Hel"));
    Answer late = http.publish("/v1/events", delta(room, 2, "lo"));

    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(gap.status()).isEqualTo(409);
    assertThat(gap.contentType()).startsWith("application/problem+json");
    assertThat(gap.json().get("code").asText()).isEqualTo("out_of_sequence");
    assertThat(oversized.status()).isEqualTo(400);
    assertThat(oversized.json().get("code").asText()).isEqualTo("invalid_request");
    assertThat(snapshot.status()).isEqualTo(400);
    assertThat(done.status()).isEqualTo(202);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("code").asText()).isEqualTo("message_closed");
  }

  @Test
  void aBatchAnswersEachDeltaWithItsOwnOutcome() {
    String room = "conversation:" + UUID.randomUUID();
    String body =
        "{\"events\":["
            + delta(room, 1, "a")
            + ","
            + delta(room, 2, "b")
            + ","
            + delta(room, 4, "d")
            + ","
            + delta(room, 3, "c")
            + "]}";

    Answer answer = http.publish("/v1/events:batch", body);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonNode results = answer.json().get("results");
    assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(1).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(2).get("status").asInt()).isEqualTo(409);
    assertThat(results.get(2).get("code").asText()).isEqualTo("out_of_sequence");
    assertThat(results.get(3).get("status").asInt()).isEqualTo(202);
  }

  @Test
  void deltasAreNeverInHistoryButTheCompletionIs() {
    String room = "conversation:" + UUID.randomUUID();
    for (int seq = 1; seq <= 5; seq++) {
      assertThat(http.publish("/v1/events", delta(room, seq, "w")).status()).isEqualTo(202);
    }
    String done = http.publish("/v1/events", completed(room, "wwwww")).json().get("id").asText();

    Answer history = http.get("/v1/rooms/" + room + "/history", "Authorization", "Bearer " + KEY_B);

    assertThat(history.status()).isEqualTo(200);
    JsonNode events = history.json().get("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("id").asText()).isEqualTo(done);
    assertThat(events.get(0).get("type").asText()).isEqualTo("message.completed");
  }
}
