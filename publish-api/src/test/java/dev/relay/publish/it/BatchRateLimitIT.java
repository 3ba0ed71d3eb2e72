package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §2 batch: a rate-limited event is one 429 result and the other events are still appended
 * (per-room burst of 2 here).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchRateLimitIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url",
        TestRedis.url(),
        "relay.api.key",
        KEYS,
        "relay.publish.limit.per.room",
        "1/s",
        "relay.publish.burst.per.room",
        "2");
  }

  private static String event(String room, String nonce) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"session.ended\",\"payload\":{},\"nonce\":\""
        + nonce
        + "\"}";
  }

  @Test
  void aRateLimitedEventIsOne429ResultAndTheOthersAreAppended() {
    HttpProbe http = new HttpProbe(server.getURI());
    String busy = "team:busy-" + UUID.randomUUID();
    String quiet = "team:quiet-" + UUID.randomUUID();
    String body =
        "{\"events\":["
            + event(busy, "b1")
            + ","
            + event(busy, "b2")
            + ","
            + event(busy, "b3")
            + ","
            + event(quiet, "q1")
            + ",{\"room\":\"Bad Room\",\"event\":\"session.ended\"}]}";

    Answer answer = http.publish("/v1/events:batch", body);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonNode results = answer.json().get("results");
    assertThat(results).hasSize(5);
    assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(1).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(2).get("status").asInt()).isEqualTo(429);
    assertThat(results.get(2).get("code").asText()).isEqualTo("rate_limited");
    assertThat(results.get(2).has("id")).isFalse();
    assertThat(results.get(3).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(3).get("room").asText()).isEqualTo(quiet);
    assertThat(results.get(4).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(4).get("code").asText()).isEqualTo("invalid_request");

    Answer again = http.publish("/v1/events", event(quiet, "q1"));
    assertThat(again.status()).as(again.toString()).isEqualTo(202);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(results.get(3).get("id").asText());
  }
}
