package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.publish.it.HttpProbe.Answer;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rejection is an RFC 9457 problem with a stable code (and the field on 400s), and the ops
 * endpoints answer; small payload limit and strict mode to reach every code.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemAnswersIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;

  private HttpProbe http;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url",
        TestRedis.url(),
        "relay.api.key",
        KEYS,
        "relay.max.payload.bytes",
        "2048",
        "relay.strict.events",
        "true");
  }

  @BeforeEach
  void connect() {
    http = new HttpProbe(server.getURI());
  }

  private static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
    JsonNode body = answer.json();
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("type").asText()).isEqualTo("urn:relay:error:" + code);
    assertThat(body.get("title").asText()).isNotBlank();
    assertThat(body.get("detail").asText()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"event\":\"vote.cast\"}|sessionId",
        "{\"sessionId\":\"a\",\"room\":\"team:1\",\"event\":\"vote.cast\"}|room",
        "{\"sessionId\":\"bad id!\",\"event\":\"vote.cast\"}|sessionId",
        "{\"sessionId\":7,\"event\":\"vote.cast\"}|sessionId",
        "{\"room\":\"no-colon\",\"event\":\"vote.cast\"}|room",
        "{\"room\":\"Team:1\",\"event\":\"vote.cast\"}|room",
        "{\"sessionId\":\"a\"}|event",
        "{\"sessionId\":\"a\",\"event\":\"Vote.Cast\"}|event",
        "{\"sessionId\":\"a\",\"event\":[\"vote.cast\"]}|event",
        "{\"sessionId\":\"a\",\"event\":\"not.known.type\",\"payload\":{}}|event",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":[]}|payload",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":null}|payload",
        "{\"sessionId\":\"a\",\"event\":\"vote.cast\",\"payload\":{\"value\":\"5\"}}|payload.issueKey",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":{},\"nonce\":\"\"}|nonce",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":{},\"nonce\":5}|nonce",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":{},\"timestamp\":\"yesterday\"}|timestamp",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":{},\"timestamp\":1714557600}|timestamp",
        "{\"sessionId\":\"a\",\"event\":\"session.ended\"|body",
        "[]|body",
        "null|body",
      })
  void invalidRequestsName400AndTheField(String body, String field) {
    Answer answer = http.publish("/v1/events", body);

    assertProblem(answer, 400, "invalid_request");
    assertThat(answer.json().get("field").asText()).isEqualTo(field);
  }

  @Test
  void nonceLongerThan128Is400() {
    String nonce = "n".repeat(129);
    Answer answer =
        http.publish(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"nonce\":\"" + nonce + "\"}");
    assertProblem(answer, 400, "invalid_request");
    assertThat(answer.json().get("field").asText()).isEqualTo("nonce");
  }

  @Test
  void idempotencyKeyOver128Is400NamingTheHeader() {
    Answer answer =
        http.publish(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\"}",
            "Idempotency-Key",
            "k".repeat(129));
    assertProblem(answer, 400, "invalid_request");
    assertThat(answer.json().get("field").asText()).isEqualTo("Idempotency-Key");
  }

  @Test
  void payloadOverTheLimitIs413() {
    String big = "x".repeat(2100);
    Answer answer =
        http.publish(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\",\"payload\":{\"b\":\""
                + big
                + "\"}}");
    assertProblem(answer, 413, "payload_too_large");
    assertThat(answer.json().get("field").asText()).isEqualTo("payload");
  }

  @Test
  void rawBodyOverTheSingleLimitIs413() {
    String padding = " ".repeat(2048 + 8 * 1024 + 1);
    Answer answer =
        http.publish("/v1/events", "{\"sessionId\":\"a\",\"event\":\"session.ended\"}" + padding);
    assertProblem(answer, 413, "payload_too_large");
  }

  @Test
  void bodyOverTheServerLimitIs413Problem() {
    byte[] huge = new byte[8 * 1024 * 1024 + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    Answer answer =
        http.post(
            "/v1/events:batch",
            huge,
            "Content-Type",
            "application/json",
            "Authorization",
            "Bearer " + KEY_A);
    assertProblem(answer, 413, "payload_too_large");
  }

  @ParameterizedTest
  @CsvSource({"text/plain", "application/x-www-form-urlencoded", "application/xml"})
  void nonJsonContentTypeIs415(String contentType) {
    Answer answer =
        http.post(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\"}",
            "Content-Type",
            contentType,
            "Authorization",
            "Bearer " + KEY_A);
    assertProblem(answer, 415, "unsupported_media_type");
  }

  @Test
  void missingContentTypeIs415() {
    Answer answer =
        http.post(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\"}",
            "Authorization",
            "Bearer " + KEY_A);
    assertProblem(answer, 415, "unsupported_media_type");
  }

  @Test
  void jsonWithCharsetIsAccepted() {
    Answer answer =
        http.post(
            "/v1/events",
            "{\"sessionId\":\"a\",\"event\":\"session.ended\"}",
            "Content-Type",
            "application/json; charset=utf-8",
            "Authorization",
            "Bearer " + KEY_A);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
  }

  @Test
  void unknownRouteIs404Problem() {
    assertProblem(http.get("/v1/nothing-here"), 404, "not_found");
    assertProblem(http.publish("/v2/events", "{}"), 404, "not_found");
  }

  @Test
  void wrongMethodIs405Problem() {
    assertProblem(http.get("/v1/events"), 405, "method_not_allowed");
    assertProblem(http.method("DELETE", "/events"), 405, "method_not_allowed");
  }

  @Test
  void batchRejectsIdempotencyKeyAndBadShapes() {
    Answer keyed =
        http.publish(
            "/v1/events:batch",
            "{\"events\":[{\"sessionId\":\"a\",\"event\":\"session.ended\"}]}",
            "Idempotency-Key",
            "k");
    assertProblem(keyed, 400, "invalid_request");
    assertThat(keyed.json().get("field").asText()).isEqualTo("Idempotency-Key");
    for (String body : new String[] {"{\"events\":[]}", "{\"events\":{}}", "{}"}) {
      Answer answer = http.publish("/v1/events:batch", body);
      assertProblem(answer, 400, "invalid_request");
      assertThat(answer.json().get("field").asText()).isEqualTo("events");
    }
  }

  @Test
  void healthzInfoAndReadyzAnswer() {
    Answer health = http.get("/healthz");
    assertThat(health.status()).isEqualTo(200);

    Answer ready = http.get("/readyz");
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    assertThat(ready.json().get("ready").asBoolean()).isTrue();
    assertThat(ready.json().get("failing")).isEmpty();

    JsonNode info = http.get("/info").json();
    for (String field : new String[] {"name", "version", "commit", "uptime", "instanceId"}) {
      assertThat(info.get(field)).as(field + " in " + info).isNotNull();
      assertThat(info.get(field).asText()).as(field).isNotBlank();
    }
    assertThat(info.get("engine").asText()).isEqualTo("redis");
  }

  @Test
  void metricsArePrometheusTextWithoutRoomLabels() {
    http.publish("/v1/events", "{\"sessionId\":\"metrics-probe\",\"event\":\"session.ended\"}");
    http.publish("/v1/events", "{\"sessionId\":\"metrics-probe\"}");

    Answer metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("relay_publish_latency_seconds_bucket")
        .contains("relay_publish_total{result=\"accepted\"}")
        .contains("relay_publish_total{result=\"invalid\"}")
        .contains("relay_publish_total{result=\"unauthorized\"}")
        .contains("relay_session_events_total")
        .doesNotContain("metrics-probe");
  }
}
