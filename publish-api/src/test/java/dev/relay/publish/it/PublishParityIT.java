package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.publish.it.RawHttp.Answer;
import dev.relay.testkit.RedisProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
 * {@code POST /v1/events} and {@code /events}, now answered by {@code FastPublishHandler}, give the
 * answers Micronaut gave before it (status line, every header in order and spelling, body),
 * recorded from publish-api at 49b5e21 with the same settings. Only {@code date} (and the event id
 * in a 202 body) vary. Also: keep-alive by default, {@code Connection: close} honoured, pipelined
 * requests answered in order, other methods still Micronaut's 405. Own redis-server: the last test
 * kills it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishParityIT implements TestPropertyProvider {

  private static final String SECURITY =
      "X-Content-Type-Options: nosniff\nX-Frame-Options: DENY\nReferrer-Policy: no-referrer\n";
  private static final String ACCEPTED =
      "HTTP/1.1 202 Accepted\ndate: <date>\n" + SECURITY + "content-type: application/json\n";
  private static final String UNAUTHORIZED_BODY =
      "{\"type\":\"urn:relay:error:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
          + "\"detail\":\"missing or invalid credentials: send Authorization: Bearer <key> or"
          + " X-Relay-Signature\",\"code\":\"unauthorized\"}";

  private final RedisProcess redis = RedisProcess.start();

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url", redis.url(),
        "relay.api.key", KEYS,
        "relay.max.payload.bytes", "2048",
        "relay.publish.limit.per.room", "2/s",
        "relay.publish.burst.per.room", "2");
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  /** The head with {@code date} masked and {@code content-length} checked and dropped. */
  private static String head(Answer answer) {
    StringBuilder text = new StringBuilder();
    for (String line : answer.head().strip().split("\r\n")) {
      if (line.startsWith("date: ")) {
        assertThat(line).matches("date: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        line = "date: <date>";
      } else if (line.startsWith("content-length: ")) {
        assertThat(line.substring(16))
            .isEqualTo(Integer.toString(answer.body().getBytes(StandardCharsets.UTF_8).length));
        continue;
      }
      text.append(line).append('\n');
    }
    return text.toString();
  }

  private static String problemHead(String status, boolean retryAfter) {
    return "HTTP/1.1 "
        + status
        + "\ncontent-type: application/problem+json\n"
        + (retryAfter ? "Retry-After: 1\n" : "")
        + "date: <date>\n"
        + SECURITY;
  }

  private Answer post(String path, String body, String... headers) {
    try (RawHttp raw = new RawHttp(server.getURI())) {
      return send(raw, path, body, headers);
    }
  }

  private static Answer send(RawHttp raw, String path, String body, String... headers) {
    raw.send(request(path, body, headers));
    return raw.read();
  }

  private static byte[] request(String path, String body, String... headers) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(List.of(headers));
    all.add("Content-Length: " + bytes.length);
    StringBuilder text = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    all.forEach(h -> text.append(h).append("\r\n"));
    text.append("\r\n").append(body);
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String event(String room, String nonce) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"x.y\",\"payload\":{},\"nonce\":\""
        + nonce
        + "\"}";
  }

  private static final String BEARER = "Authorization: Bearer " + KEY_A;
  private static final String JSON = "Content-Type: application/json";

  @Test
  @Order(1)
  void validAndDuplicateOnOneKeptAliveConnection() {
    try (RawHttp raw = new RawHttp(server.getURI())) {
      Answer first = send(raw, "/v1/events", event("team:a", "n1"), BEARER, JSON);
      assertThat(head(first)).isEqualTo(ACCEPTED);
      assertThat(first.body())
          .matches("\\{\"id\":\"[0-9a-z.-]+\",\"room\":\"team:a\",\"duplicate\":false}");
      Answer again = send(raw, "/events/?x=1", event("team:a", "n1"), BEARER, JSON);
      assertThat(head(again)).isEqualTo(ACCEPTED);
      assertThat(again.body()).isEqualTo(first.body().replace("false", "true"));
      assertThat(raw.closedByPeer()).isFalse();
    }
  }

  @Test
  @Order(2)
  void rejectionsAnsweredAsProblems() {
    Answer invalid = post("/v1/events", "{\"room\":\"team:b\",\"event\":\"X\"}", BEARER, JSON);
    assertThat(head(invalid)).isEqualTo(problemHead("400 Bad Request", false));
    assertThat(invalid.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:invalid_request\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"event must be a lowercase dotted name of at most 64 characters\","
                + "\"code\":\"invalid_request\",\"field\":\"event\"}");

    Answer badJson = post("/v1/events", "{\"room\":", BEARER, JSON);
    assertThat(head(badJson)).isEqualTo(problemHead("400 Bad Request", false));
    assertThat(badJson.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:invalid_request\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"the request body is not valid JSON: Unexpected end-of-input"
                + " within/between Object entries\",\"code\":\"invalid_request\",\"field\":\"body\"}");

    String body = event("team:b", "s1");
    String wrong = "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32);
    Answer badSignature = post("/v1/events", body, "X-Relay-Signature: " + wrong, JSON);
    assertThat(head(badSignature)).isEqualTo(problemHead("401 Unauthorized", false));
    assertThat(badSignature.body()).isEqualTo(UNAUTHORIZED_BODY);

    Answer type = post("/events", "{}", BEARER, "Content-Type: text/plain");
    assertThat(head(type)).isEqualTo(problemHead("415 Unsupported Media Type", false));
    assertThat(type.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:unsupported_media_type\",\"title\":\"Unsupported Media"
                + " Type\",\"status\":415,\"detail\":\"send Content-Type: application/json\","
                + "\"code\":\"unsupported_media_type\",\"field\":\"Content-Type\"}");
  }

  @Test
  @Order(3)
  void intakeRefusalsUnchanged() {
    String intake = "content-type: application/problem+json\nconnection: close\n";
    Answer noKey = post("/v1/events", "{}", JSON);
    assertThat(head(noKey)).isEqualTo("HTTP/1.1 401 Unauthorized\n" + intake);
    assertThat(noKey.body()).isEqualTo(UNAUTHORIZED_BODY);

    Answer tooLarge = post("/v1/events", "a".repeat(20_000), BEARER, JSON);
    assertThat(head(tooLarge)).isEqualTo("HTTP/1.1 413 Request Entity Too Large\n" + intake);
    assertThat(tooLarge.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:payload_too_large\",\"title\":\"Content Too Large\","
                + "\"status\":413,\"detail\":\"request body exceeds 10240 bytes\","
                + "\"code\":\"payload_too_large\"}");

    try (RawHttp raw = new RawHttp(server.getURI())) {
      raw.head("POST /v1/events HTTP/1.1", BEARER, JSON, "Transfer-Encoding: chunked");
      String chunk = "a".repeat(4096);
      for (int i = 0; i < 3; i++) {
        raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
      Answer chunked = raw.read();
      assertThat(head(chunked)).isEqualTo(head(tooLarge));
      assertThat(chunked.body()).isEqualTo(tooLarge.body());
    }
  }

  @Test
  @Order(4)
  void rateLimited() {
    Answer last = null;
    for (int i = 0; i < 3; i++) {
      last = post("/v1/events", event("team:limited", "r" + i), BEARER, JSON);
    }
    assertThat(head(last)).isEqualTo(problemHead("429 Too Many Requests", true));
    assertThat(last.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:rate_limited\",\"title\":\"Too Many Requests\","
                + "\"status\":429,\"detail\":\"rate limit exceeded; retry later\","
                + "\"code\":\"rate_limited\"}");
  }

  @Test
  @Order(5)
  void connectionCloseAndPipelining() {
    try (RawHttp raw = new RawHttp(server.getURI())) {
      Answer closing =
          send(raw, "/v1/events", event("team:c", "c1"), BEARER, JSON, "Connection: close");
      assertThat(head(closing)).isEqualTo(ACCEPTED + "connection: close\n");
      assertThat(raw.closedByPeer()).isTrue();
    }
    try (RawHttp raw = new RawHttp(server.getURI())) {
      byte[] publish = request("/v1/events", event("team:p", "p1"), BEARER, JSON);
      byte[] get = "GET /v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes();
      raw.send(publish)
          .send(get)
          .send(get)
          .send(request("/events", event("team:p", "p2"), BEARER, JSON));
      assertThat(raw.read().status()).isEqualTo(202);
      Answer notAllowed = raw.read();
      assertThat(head(notAllowed))
          .isEqualTo(
              "HTTP/1.1 405 Method Not Allowed\nallow: POST\ncontent-type: application/problem+json\n"
                  + "date: <date>\n"
                  + SECURITY);
      assertThat(raw.read().status()).isEqualTo(405);
      assertThat(raw.read().body()).contains("\"room\":\"team:p\"");
    }
  }

  @Test
  @Order(6)
  void redisDownIs503() {
    redis.kill();
    Answer down = post("/v1/events", event("team:d", "d1"), BEARER, JSON);
    assertThat(head(down)).isEqualTo(problemHead("503 Service Unavailable", true));
    assertThat(down.body())
        .isEqualTo(
            "{\"type\":\"urn:relay:error:unavailable\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"the event store is unreachable; retry shortly\","
                + "\"code\":\"unavailable\"}");
  }
}
