package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.publish.it.RawHttp.Answer;
import dev.relay.testkit.TestRedis;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC §10 body limits, over raw sockets: oversized or unauthenticated requests are answered from
 * their headers alone (the test sends no body and still gets the answer), and a chunked body is cut
 * off at its route's limit.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyLimitsIT implements TestPropertyProvider {

  private static final String JSON = "Content-Type: application/json";
  private static final String BEARER = "Authorization: Bearer " + KEY_A;
  private static final long BATCH = 8 * 1024 * 1024;

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", TestRedis.url(), "relay.api.key", KEYS);
  }

  private static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(status);
    assertThat(answer.head().toLowerCase(java.util.Locale.ROOT))
        .contains("content-type: application/problem+json");
    assertThat(answer.body()).contains("\"code\":\"" + code + "\"");
  }

  private static void assertClosed(RawHttp http) {
    await("connection closed").atMost(Duration.ofSeconds(5)).until(http::closedByPeer);
  }

  @ParameterizedTest(name = "{0} with Content-Length {1}")
  @CsvSource({
    "/v1/events, 73729",
    "/events, 7000000",
    "/v1/events:batch, 8388609",
    "/healthz, 16385",
    "/v1/nothing, 16385"
  })
  void contentLengthOverTheRouteLimitIs413BeforeTheBody(String path, long length) {
    try (RawHttp http = new RawHttp(server.getURI())) {
      http.head("POST " + path + " HTTP/1.1", JSON, BEARER, "Content-Length: " + length);

      assertProblem(http.read(), 413, "payload_too_large");
      assertClosed(http);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "no credentials, ''",
    "wrong bearer key, Authorization: Bearer not-the-key-0123456789abcdefghijklmnopqrst",
    "basic auth, Authorization: Basic dXNlcjpwYXNz",
    "malformed signature, X-Relay-Signature: t=1,v1=zz",
    "stale signature, X-Relay-Signature: t=1000000000,v1="
        + "00000000000000000000000000000000000000000000000000000000000000aa"
  })
  void missingOrRefusedCredentialsAre401BeforeTheBody(String name, String credentials) {
    for (String path : new String[] {"/v1/events", "/v1/events:batch"}) {
      try (RawHttp http = new RawHttp(server.getURI())) {
        if (credentials.isEmpty()) {
          http.head("POST " + path + " HTTP/1.1", JSON, "Content-Length: 7000000");
        } else {
          http.head("POST " + path + " HTTP/1.1", JSON, credentials, "Content-Length: 7000000");
        }

        assertProblem(http.read(), 401, "unauthorized");
        assertClosed(http);
      }
    }
  }

  @Test
  void aCurrentSignatureIsCheckedAgainstTheBody() {
    byte[] body = event("signed").getBytes(StandardCharsets.UTF_8);
    String good = HttpProbe.signature(KEY_A, Instant.now(), body);
    String wrong = HttpProbe.signature("x".repeat(40), Instant.now(), body);
    try (RawHttp http = new RawHttp(server.getURI())) {
      http.head(
          "POST /v1/events HTTP/1.1",
          JSON,
          "X-Relay-Signature: " + good,
          "Content-Length: " + body.length);
      http.send(body);
      assertThat(http.read().status()).isEqualTo(202);

      http.head(
          "POST /v1/events HTTP/1.1",
          JSON,
          "X-Relay-Signature: " + wrong,
          "Content-Length: " + body.length);
      http.send(body);
      assertProblem(http.read(), 401, "unauthorized");
    }
  }

  @Test
  void requestsWithinTheLimitsShareAKeepAliveConnection() {
    try (RawHttp http = new RawHttp(server.getURI())) {
      for (int i = 0; i < 3; i++) {
        byte[] body = event("keep-" + i).getBytes(StandardCharsets.UTF_8);
        http.head("POST /v1/events HTTP/1.1", JSON, BEARER, "Content-Length: " + body.length);
        http.send(body);
        Answer answer = http.read();
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
      }
      assertThat(http.closedByPeer()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/events, 73728", "/v1/events:batch, 8388608"})
  void aChunkedBodyIsCutOffAtTheRouteLimit(String path, long limit) {
    try (RawHttp http = new RawHttp(server.getURI())) {
      http.head("POST " + path + " HTTP/1.1", JSON, BEARER, "Transfer-Encoding: chunked");
      byte[] chunk = chunk(64 * 1024);
      long sent = 0;
      while (sent <= limit + chunk.length && http.trySend(chunk)) {
        sent += 64 * 1024;
      }

      assertProblem(http.read(), 413, "payload_too_large");
      assertClosed(http);
      assertThat(sent).isGreaterThan(limit);
    }
  }

  @Test
  void theBatchRouteReadsABodyJustUnderItsLimit() {
    String padding = " ".repeat(80 * 1024);
    StringBuilder events = new StringBuilder("{\"events\":[");
    for (int i = 0; i < 100; i++) {
      events.append(i == 0 ? "" : ",").append(padding).append(event("big-" + i));
    }
    byte[] body = events.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    assertThat((long) body.length).isBetween(7L * 1024 * 1024, BATCH);
    try (RawHttp http = new RawHttp(server.getURI())) {
      http.head("POST /v1/events:batch HTTP/1.1", JSON, BEARER, "Content-Length: " + body.length);
      http.send(body);
      Answer answer = http.read();
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"status\":202");
    }
  }

  private static byte[] chunk(int size) {
    byte[] data = new byte[size];
    java.util.Arrays.fill(data, (byte) ' ');
    byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + size + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(data, 0, out, head.length, size);
    out[out.length - 2] = '\r';
    out[out.length - 1] = '\n';
    return out;
  }

  private static String event(String nonce) {
    return "{\"sessionId\":\"limits\",\"event\":\"session.ended\",\"nonce\":\"" + nonce + "\"}";
  }
}
