package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static dev.relay.publish.it.HttpProbe.KEY_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.RedisProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §2: every publish is answered within 1 s, also when Redis (AOF, {@code appendfsync always})
 * is killed with SIGKILL while publishes are in flight at 20/s; the answer is 202 or 503 with
 * {@code Retry-After}, and every event answered 202 is still stored after the restart.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishDeadlineFaultIT implements TestPropertyProvider {

  private static final Duration BOUND = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisProcess redis = RedisProcess.startPersistent();

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", redis.url(), "relay.api.key", KEYS);
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  /** One publish as the client saw it. */
  record Outcome(String nonce, int status, String retryAfter, String id, long millis) {}

  @Test
  void everyPublishIsAnsweredWithinOneSecondAcrossAKill9AndNo202IsLost() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> inFlight = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    try {
      pace.scheduleAtFixedRate(
          () -> inFlight.add(publish(client, "n-" + next.getAndIncrement(), outcomes)),
          0,
          50,
          TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> accepted(outcomes) >= 20);
      redis.kill();
      int killedAt = next.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> next.get() >= killedAt + 30);
      redis.restart();
      int restartedAt = next.get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> outcomes.stream().anyMatch(o -> o.status() == 202 && n(o) > restartedAt));
    } finally {
      pace.shutdown();
      assertThat(pace.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(outcomes).hasSize(next.get());
    for (Outcome o : outcomes) {
      assertThat(o.millis()).as("answer time of " + o).isLessThanOrEqualTo(BOUND.toMillis());
      assertThat(o.status()).as(o.toString()).isIn(202, 503);
      if (o.status() == 503) {
        assertThat(o.retryAfter()).as(o.toString()).isNotNull();
      }
    }
    assertThat(outcomes).anyMatch(o -> o.status() == 503);
    HttpProbe http = new HttpProbe(server.getURI());
    for (Outcome o : outcomes) {
      if (o.status() == 202) {
        HttpProbe.Answer again = http.publish("/v1/events", body(o.nonce()));
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.json().get("duplicate").asBoolean()).as(o.toString()).isTrue();
        assertThat(again.json().get("id").asText()).isEqualTo(o.id());
      }
    }
  }

  private static int n(Outcome o) {
    return Integer.parseInt(o.nonce().substring(2));
  }

  private static long accepted(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.status() == 202).count();
  }

  private static String body(String nonce) {
    return "{\"sessionId\":\"fault\",\"event\":\"session.ended\",\"nonce\":\"" + nonce + "\"}";
  }

  private CompletableFuture<Void> publish(HttpClient client, String nonce, List<Outcome> into) {
    HttpRequest request =
        HttpRequest.newBuilder(server.getURI().resolve("/v1/events"))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + KEY_A)
            .POST(HttpRequest.BodyPublishers.ofString(body(nonce)))
            .build();
    long start = System.nanoTime();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenAccept(
            response -> {
              long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              into.add(
                  new Outcome(
                      nonce,
                      response.statusCode(),
                      response.headers().firstValue("Retry-After").orElse(null),
                      response.statusCode() == 202 ? id(response.body()) : null,
                      millis));
            });
  }

  private static String id(String body) {
    try {
      return JSON.readTree(body).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
