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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §10 request deadline with {@code RELAY_REQUEST_TIMEOUT=1s}, over raw sockets: a request
 * whose head or body trickles in (slowloris) is answered 408 and closed once the deadline passes,
 * while a keep-alive connection idle between requests is not limited by it.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestDeadlineIT implements TestPropertyProvider {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of(
        "redis.url", TestRedis.url(), "relay.api.key", KEYS, "relay.request.timeout", "1s");
  }

  @Test
  void aHeadSentAByteAtATimeIs408AfterTheDeadline() {
    byte[] head =
        ("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + KEY_A
                + "\r\nContent-Length: 2\r\n\r\n{}")
            .getBytes(StandardCharsets.US_ASCII);
    try (RawHttp http = new RawHttp(server.getURI())) {
      long start = System.nanoTime();
      int sent = 0;
      while (sent < head.length && !http.closedByPeer() && http.trySend(new byte[] {head[sent]})) {
        sent++;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // a slowloris' pace
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(sent).isLessThan(head.length);
      assertThat(elapsedMillis).isBetween(TIMEOUT.toMillis() - 100, TIMEOUT.toMillis() + 2_000);
    }
  }

  @Test
  void aPartialRequestLineIsAnswered408AndClosed() {
    try (RawHttp http = new RawHttp(server.getURI())) {
      long start = System.nanoTime();
      http.send("POST /v1/ev");

      Answer answer = http.read();
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.body()).contains("\"code\":\"request_timeout\"");
      assertThat(elapsedMillis).isBetween(TIMEOUT.toMillis() - 100, TIMEOUT.toMillis() + 2_000);
      await().atMost(Duration.ofSeconds(5)).until(http::closedByPeer);
    }
  }

  @Test
  void aBodyThatStallsIs408AndClosed() {
    try (RawHttp http = new RawHttp(server.getURI())) {
      http.head(
          "POST /v1/events HTTP/1.1",
          "Content-Type: application/json",
          "Authorization: Bearer " + KEY_A,
          "Content-Length: 200");
      http.send("{\"sessionId\":");

      Answer answer = http.read();
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.body()).contains("\"code\":\"request_timeout\"");
      await().atMost(Duration.ofSeconds(5)).until(http::closedByPeer);
    }
  }

  @Test
  void anIdleKeepAliveConnectionBetweenRequestsIsNotLimited() {
    try (RawHttp http = new RawHttp(server.getURI())) {
      assertThat(publish(http, "idle-1").status()).isEqualTo(202);

      await()
          .during(TIMEOUT.multipliedBy(2))
          .atMost(TIMEOUT.multipliedBy(4))
          .until(() -> !http.closedByPeer());

      assertThat(publish(http, "idle-2").status()).isEqualTo(202);
    }
  }

  private static Answer publish(RawHttp http, String nonce) {
    byte[] body =
        ("{\"sessionId\":\"deadline\",\"event\":\"session.ended\",\"nonce\":\"" + nonce + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    http.head(
        "POST /v1/events HTTP/1.1",
        "Content-Type: application/json",
        "Authorization: Bearer " + KEY_A,
        "Content-Length: " + body.length);
    http.send(body);
    return http.read();
  }
}
