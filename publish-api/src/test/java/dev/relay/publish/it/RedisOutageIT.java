package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.publish.it.HttpProbe.Answer;
import dev.relay.testkit.RedisProcess;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Redis killed under a running publish-api: publishes answer 503 {@code unavailable} with {@code
 * Retry-After}, {@code /readyz} turns 503 naming the engine, and both recover once Redis is back.
 * Uses its own redis-server so killing it disturbs no other test.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageIT implements TestPropertyProvider {

  private final RedisProcess redis = RedisProcess.start();

  @Inject EmbeddedServer server;

  @Override
  public Map<String, String> getProperties() {
    return Map.of("redis.url", redis.url(), "relay.api.key", KEYS);
  }

  @AfterAll
  void stopRedis() {
    redis.close();
  }

  private static String event(String nonce) {
    return "{\"sessionId\":\"outage\",\"event\":\"session.ended\",\"nonce\":\"" + nonce + "\"}";
  }

  @Test
  void publishIs503WhileRedisIsDownAndRecoversAfterRestart() {
    HttpProbe http = new HttpProbe(server.getURI());
    assertThat(http.publish("/v1/events", event("before")).status()).isEqualTo(202);

    redis.kill();

    Answer down = http.publish("/v1/events", event("during"));
    assertThat(down.status()).as(down.toString()).isEqualTo(503);
    assertThat(down.contentType()).startsWith("application/problem+json");
    assertThat(down.json().get("code").asText()).isEqualTo("unavailable");
    assertThat(down.header("Retry-After")).isEqualTo("1");
    Answer batch = http.publish("/v1/events:batch", "{\"events\":[" + event("b-during") + "]}");
    assertThat(batch.status()).as(batch.toString()).isEqualTo(503);
    assertThat(batch.header("Retry-After")).isEqualTo("1");
    Answer notReady = http.get("/readyz");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.json().get("failing").get(0).asText()).isEqualTo("engine");
    assertThat(http.get("/healthz").status()).isEqualTo(200);
    assertThat(http.get("/metrics").body()).contains("relay_publish_total{result=\"unavailable\"}");

    redis.restart();

    Awaitility.await("publish after Redis restart")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> http.publish("/v1/events", event("during")).status() == 202);
    assertThat(http.get("/readyz").status()).isEqualTo(200);
    Answer retried = http.publish("/v1/events", event("during"));
    assertThat(retried.json().get("duplicate").asBoolean()).isTrue();
  }
}
