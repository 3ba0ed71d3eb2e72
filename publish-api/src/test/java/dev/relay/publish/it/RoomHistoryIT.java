package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static dev.relay.publish.it.HttpProbe.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.publish.it.HttpProbe.Answer;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/rooms/{room}/history} (SPEC §11) against a real Redis: newest first, paged with
 * {@code before}, volatile events left out, API key or signature required, every bad parameter a
 * 400 problem naming it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomHistoryIT implements TestPropertyProvider {

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

  private String publish(String room, String event) {
    String payload = "{\"taskId\":\"T-1\",\"teamId\":\"42\",\"conversationId\":\"c-1\",\"n\":1}";
    Answer answer =
        http.publish(
            "/v1/events",
            "{\"room\":\"" + room + "\",\"event\":\"" + event + "\",\"payload\":" + payload + "}");
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  private Answer history(String room, String query) {
    return http.get("/v1/rooms/" + room + "/history" + query, "Authorization", "Bearer " + KEY_B);
  }

  private static List<String> ids(Answer answer) {
    List<String> ids = new ArrayList<>();
    for (JsonNode e : answer.json().get("events")) {
      ids.add(e.get("id").asText());
    }
    return ids;
  }

  @Test
  void answersTheNewestStoredEventsNewestFirstAndPagesWithBefore() {
    String room = "team:" + UUID.randomUUID();
    List<String> published = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      published.add(publish(room, "task.updated"));
      publish(room, "typing.started");
    }

    Answer first = history(room, "?limit=3");
    Answer rest = history(room, "?limit=3&before=" + ids(first).get(2));
    Answer all = history(room, "");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.contentType()).startsWith("application/json");
    assertThat(ids(first)).containsExactly(published.get(4), published.get(3), published.get(2));
    assertThat(first.json().get("more").asBoolean()).isTrue();
    JsonNode newest = first.json().get("events").get(0);
    assertThat(newest.get("room").asText()).isEqualTo(room);
    assertThat(newest.get("type").asText()).isEqualTo("task.updated");
    assertThat(newest.get("payload").get("n").asInt()).isEqualTo(1);
    assertThat(ids(rest)).containsExactly(published.get(1), published.get(0));
    assertThat(rest.json().get("more").asBoolean()).isFalse();
    assertThat(ids(all)).hasSize(5);
  }

  @Test
  void anUnknownRoomOrABeforeOfAnotherEpochAnswersNoEvents() {
    String room = "team:" + UUID.randomUUID();
    String id = publish(room, "task.updated");
    String otherEpoch = id.substring(0, id.indexOf('.')) + ".zz0zz0";

    Answer unknown = history("team:" + UUID.randomUUID(), "");
    Answer foreign = history(room, "?before=" + otherEpoch);

    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.body()).isEqualTo("{\"events\":[],\"more\":false}");
    assertThat(foreign.body()).isEqualTo("{\"events\":[],\"more\":false}");
  }

  @Test
  void needsAnApiKeyOrASignatureOfTheEmptyBody() {
    String room = "team:" + UUID.randomUUID();
    publish(room, "task.updated");
    String path = "/v1/rooms/" + room + "/history";

    assertThat(http.get(path).status()).isEqualTo(401);
    assertThat(http.get(path).json().get("code").asText()).isEqualTo("unauthorized");
    assertThat(http.get(path, "Authorization", "Bearer wrong").status()).isEqualTo(401);
    String signed = HttpProbe.signature(KEY_A, Instant.now(), new byte[0]);
    assertThat(http.get(path, "X-Relay-Signature", signed).status()).isEqualTo(200);
  }

  @Test
  void everyBadParameterIsA400NamingIt() {
    String room = "team:" + UUID.randomUUID();
    publish(room, "task.updated");
    Map<String, String> badLimits =
        Map.of(
            "0",
            "limit",
            "101",
            "limit",
            "-1",
            "limit",
            "abc",
            "limit",
            "1.5",
            "limit",
            "99999999999999999999",
            "limit",
            "",
            "limit");
    for (Map.Entry<String, String> bad : badLimits.entrySet()) {
      assertProblem(history(room, "?limit=" + bad.getKey()), "limit");
    }
    for (String before : List.of("nope", "1-0", "x".repeat(200), "1-0.", "-1-0.abc")) {
      assertProblem(history(room, "?before=" + encode(before)), "before");
    }
    // Past the server's request-line bound: refused before any handler runs.
    assertThat(history(room, "?before=" + "x".repeat(20_000)).status()).isEqualTo(413);
    for (String badRoom : List.of("no-colon", encode("team:a b"), "team:" + "x".repeat(300))) {
      assertProblem(history(badRoom, ""), "room");
    }
  }

  private static void assertProblem(Answer answer, String field) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
    assertThat(answer.json().get("code").asText()).isEqualTo("invalid_request");
    assertThat(answer.json().get("field").asText()).isEqualTo(field);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
