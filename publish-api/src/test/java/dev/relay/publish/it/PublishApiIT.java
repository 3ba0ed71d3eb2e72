package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static dev.relay.publish.it.HttpProbe.KEY_B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.publish.it.HttpProbe.Answer;
import dev.relay.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** publish-api end to end against a real Redis: auth, answers, idempotency in the stream. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishApiIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;

  private HttpProbe http;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redis;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", TestRedis.url(), "relay.api.key", KEYS);
  }

  @BeforeEach
  void connect() {
    http = new HttpProbe(server.getURI());
    if (redis == null) {
      redisClient = RedisClient.create(TestRedis.url());
      redis = redisClient.connect();
    }
  }

  @AfterAll
  void close() {
    redis.close();
    redisClient.shutdown();
  }

  private static String session() {
    return "s-" + UUID.randomUUID();
  }

  private static String event(String sessionId, String nonce) {
    return "{\"sessionId\":\""
        + sessionId
        + "\",\"event\":\"vote.cast\",\"payload\":{\"issueKey\":\"SCRUM-1\",\"value\":\"5\","
        + "\"participantId\":\"acct-1\"}"
        + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"")
        + "}";
  }

  /** The stream entries of {@code room}, read straight from Redis. */
  private List<StreamMessage<String, String>> entriesOf(String room) {
    return redis.sync().xrange(RedisKeyLayout.roomStream(room), io.lettuce.core.Range.unbounded());
  }

  @Test
  void bearerPublishAnswers202AndStoresTheEnvelope() {
    String s = session();
    Answer answer = http.publish("/v1/events", event(s, null));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    JsonNode body = answer.json();
    assertThat(body.get("room").asText()).isEqualTo("session:" + s);
    assertThat(body.get("duplicate").asBoolean()).isFalse();
    assertThat(body.get("id").asText()).matches("\\d+-\\d+\\.[a-z0-9]+");
    List<StreamMessage<String, String>> entries = entriesOf("session:" + s);
    assertThat(entries).hasSize(1);
    assertThat(String.join(" ", entries.get(0).getBody().values())).contains("SCRUM-1");
  }

  @Test
  void originalPathAndRoomTargetWork() {
    String room = "team:" + UUID.randomUUID();
    Answer answer =
        http.publish(
            "/events", "{\"room\":\"" + room + "\",\"event\":\"custom.thing\",\"payload\":{}}");

    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    assertThat(answer.json().get("room").asText()).isEqualTo(room);
    assertThat(entriesOf(room)).hasSize(1);
  }

  @Test
  void everyConfiguredKeyIsAcceptedForRotation() {
    for (String key : List.of(KEY_A, KEY_B)) {
      Answer answer =
          http.post(
              "/v1/events",
              event(session(), null),
              "Content-Type",
              "application/json",
              "Authorization",
              "Bearer " + key);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }
  }

  @Test
  void wrongOrMissingCredentialsAre401ProblemAndStoreNothing() {
    String s = session();
    List<String[]> attempts =
        List.of(
            new String[] {"Authorization", "Bearer " + KEY_A + "x"},
            new String[] {"Authorization", "Basic " + KEY_A},
            new String[] {"Authorization", "Bearer"},
            new String[] {"X-Relay-Signature", "garbage"},
            new String[] {"X-Relay-Signature", "t=abc,v1=00"},
            new String[] {"Accept", "application/json"});
    for (String[] header : attempts) {
      Answer answer =
          http.post(
              "/v1/events",
              event(s, null),
              "Content-Type",
              "application/json",
              header[0],
              header[1]);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.json().get("code").asText()).isEqualTo("unauthorized");
    }
    assertThat(entriesOf("session:" + s)).isEmpty();
  }

  @Test
  void hmacSignatureIsAcceptedWithinTolerance() {
    byte[] body = event(session(), null).getBytes(StandardCharsets.UTF_8);
    for (Instant t : List.of(Instant.now(), Instant.now().minusSeconds(290))) {
      Answer answer =
          http.post(
              "/v1/events",
              body,
              "Content-Type",
              "application/json",
              "X-Relay-Signature",
              HttpProbe.signature(KEY_B, t, body));
      assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    }
  }

  @Test
  void staleTamperedOrWrongKeySignaturesAre401() {
    byte[] body = event(session(), null).getBytes(StandardCharsets.UTF_8);
    byte[] other = event(session(), null).getBytes(StandardCharsets.UTF_8);
    // Well outside the 300 s tolerance: signatures carry whole seconds and the requests run one
    // after another, so a 301 s skew could cross a second boundary and land back inside it. The
    // exact edge is PublishAuthenticatorTest's, on a fixed clock.
    List<String> signatures =
        List.of(
            HttpProbe.signature(KEY_A, Instant.now().minusSeconds(330), body),
            HttpProbe.signature(KEY_A, Instant.now().plusSeconds(330), body),
            HttpProbe.signature(KEY_A, Instant.now(), other),
            HttpProbe.signature("not-a-configured-key-0123456789abcdef", Instant.now(), body));
    for (String signature : signatures) {
      Answer answer =
          http.post(
              "/v1/events",
              body,
              "Content-Type",
              "application/json",
              "X-Relay-Signature",
              signature);
      assertThat(answer.status()).as(signature).isEqualTo(401);
    }
  }

  @Test
  void sameNonceTwiceStoresOneEntryAndAnswersTheFirstId() {
    String s = session();
    Answer first = http.publish("/v1/events", event(s, "n-1"));
    Answer second = http.publish("/v1/events", event(s, "n-1"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(first.json().get("duplicate").asBoolean()).isFalse();
    assertThat(second.json().get("duplicate").asBoolean()).isTrue();
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(entriesOf("session:" + s)).hasSize(1);
  }

  @Test
  void idempotencyKeyHeaderEqualsTheNonce() {
    String s = session();
    Answer first = http.publish("/v1/events", event(s, null), "Idempotency-Key", "k-7");
    Answer second = http.publish("/v1/events", event(s, "k-7"));
    Answer conflicting = http.publish("/v1/events", event(s, "k-8"), "Idempotency-Key", "k-7");

    assertThat(second.json().get("duplicate").asBoolean()).isTrue();
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(conflicting.status()).isEqualTo(400);
    assertThat(conflicting.json().get("field").asText()).isEqualTo("nonce");
    assertThat(entriesOf("session:" + s)).hasSize(1);
  }

  @Test
  void traceparentIsCarriedIntoTheStoredEvent() {
    String s = session();
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    http.publish("/v1/events", event(s, null), "traceparent", traceparent);

    assertThat(entriesOf("session:" + s).get(0).getBody().values()).contains(traceparent);
  }

  @Test
  void batchAnswersEachEventInOrder() {
    String s = session();
    String body =
        "{\"events\":["
            + event(s, "b-1")
            + ",{\"sessionId\":\""
            + s
            + "\",\"event\":\"Bad Name\"},"
            + event(s, "b-1")
            + ",{\"sessionId\":\""
            + s
            + "\",\"event\":\"vote.cast\",\"payload\":{}}]}";
    Answer answer = http.publish("/v1/events:batch", body);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonNode results = answer.json().get("results");
    assertThat(results).hasSize(4);
    assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(results.get(0).get("duplicate").asBoolean()).isFalse();
    assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(1).get("code").asText()).isEqualTo("invalid_request");
    assertThat(results.get(1).get("field").asText()).isEqualTo("event");
    assertThat(results.get(2).get("duplicate").asBoolean()).isTrue();
    assertThat(results.get(2).get("id").asText()).isEqualTo(results.get(0).get("id").asText());
    assertThat(results.get(3).get("field").asText()).startsWith("payload.");
    assertThat(entriesOf("session:" + s)).hasSize(1);
  }

  @Test
  void batchOfMoreThan100Is400() {
    StringBuilder body = new StringBuilder("{\"events\":[");
    for (int i = 0; i < 101; i++) {
      body.append(i == 0 ? "" : ",").append(event(session(), null));
    }
    Answer answer = http.publish("/v1/events:batch", body.append("]}").toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("field").asText()).isEqualTo("events");
  }
}
