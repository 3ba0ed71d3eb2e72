package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.StreamPublishIT.delta;
import static dev.relay.publish.it.StreamUpload.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import dev.relay.publish.it.RawHttp.Answer;
import dev.relay.testkit.RedisProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code POST /v1/events:stream} rate limits and a Redis outage mid-stream, on a redis-server of
 * its own: a whole stream takes one token of the per-room limit (here 2/min) whatever its length,
 * and once Redis is gone every remaining line is rejected {@code unavailable} while the lines
 * before stay stored.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamFaultsIT implements TestPropertyProvider {

  private final RedisProcess redis = RedisProcess.start();

  @Inject EmbeddedServer server;
  @Inject EventLog eventLog;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url",
        redis.url(),
        "relay.api.key",
        KEYS,
        "relay.publish.limit.per.room",
        "2/min",
        "relay.publish.burst.per.room",
        "2");
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  @Test
  @Order(1)
  void aStreamTakesOneTokenOfTheRoomLimitWhateverItsLength() {
    for (int stream = 1; stream <= 2; stream++) {
      try (StreamUpload upload = StreamUpload.open(server.getURI())) {
        for (int i = 1; i <= 150; i++) { // over the room's burst many times
          upload.line(delta("limited", i, "d" + i));
        }
        Answer answer = upload.end().read();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(json(answer).get("accepted").asInt()).isEqualTo(150);
      }
    }
    try (StreamUpload third = StreamUpload.open(server.getURI())) {
      Answer answer = third.line(delta("limited", 1, "x")).read();
      assertThat(answer.status()).as("the third stream finds the bucket empty").isEqualTo(429);
      assertThat(answer.body()).contains("\"code\":\"rate_limited\"");
      assertThat(answer.head()).containsIgnoringCase("Retry-After:");
    }
  }

  @Test
  @Order(2)
  void redisDownMidStreamRejectsTheRemainingLinesUnavailable() {
    try (RoomWatch watch = new RoomWatch(eventLog, "conversation:outage");
        StreamUpload upload = StreamUpload.open(server.getURI())) {
      upload.line(delta("outage", 1, "a")).line(delta("outage", 2, "b"));
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.count() == 2);

      redis.kill();
      Answer answer =
          upload
              .line(delta("outage", 3, "c"))
              .line(delta("outage", 4, "d"))
              .line(delta("outage", 5, "e"))
              .end()
              .read();

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      JsonNode body = json(answer);
      assertThat(body.get("accepted").asInt()).isEqualTo(2);
      List<String> rejected = new ArrayList<>();
      body.get("rejected")
          .forEach(r -> rejected.add(r.get("line").asInt() + ":" + r.get("code").asText()));
      assertThat(rejected).containsExactly("3:unavailable", "4:unavailable", "5:unavailable");
      assertThat(watch.count()).isEqualTo(2);
    }
  }
}
