package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 fault: Redis (with AOF) killed and restarted while events are being published. A
 * publisher that retries with the same nonce on 503, as documented, gets every event accepted;
 * every event answered 202 reaches every connected subscriber exactly once, in order.
 */
class RedisRestartUnderLoadIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final int EVENTS = 200;

  private RedisProcess redis;
  private ApplicationContext gateway;
  private ApplicationContext publishApi;

  @AfterEach
  void stop() {
    for (ApplicationContext c : new ApplicationContext[] {gateway, publishApi}) {
      if (c != null) {
        c.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void everyAcceptedEventIsDeliveredOnceAcrossARedisRestart() throws Exception {
    redis = RedisProcess.startPersistent();
    gateway = Services.gateway(redis.url());
    publishApi =
        Services.publishApi(redis.url(), Map.of("relay.publish.limit.per.room", "100000/s"));
    List<WsTestClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String token =
          SIGNER.connectionToken(
              "load-" + i, "restart", List.of(), List.of(), Duration.ofSeconds(120));
      WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token));
      client.expect("welcome");
      subscribers.add(client);
    }

    CompletableFuture<List<String>> accepted = CompletableFuture.supplyAsync(this::publishAll);
    await().atMost(Duration.ofSeconds(20)).until(() -> published >= EVENTS / 4);
    redis.kill();
    redis.restart();
    long restartedAt = System.nanoTime();
    List<String> ids = accepted.get(120, TimeUnit.SECONDS);
    assertThat(ids).hasSize(EVENTS).doesNotHaveDuplicates();

    for (WsTestClient subscriber : subscribers) {
      List<String> received = new ArrayList<>();
      for (int n = 0; n < EVENTS; n++) {
        received.add(subscriber.expectEvent("task.updated").get("id").asText());
      }
      assertThat(received).containsExactlyElementsOf(ids);
      subscriber.expectNothing(Duration.ofMillis(300));
      assertThat(subscriber.isClosed()).isFalse();
      subscriber.close();
    }
    System.out.printf(
        "figure: RedisRestartUnderLoadIT %d events, %d subscribers, all delivered once in order"
            + " %d ms after the restart%n",
        EVENTS, subscribers.size(), (System.nanoTime() - restartedAt) / 1_000_000);
  }

  private volatile int published;

  /** Publishes EVENTS events in order, each retried with its nonce until accepted (bounded). */
  private List<String> publishAll() {
    Set<String> ids = new LinkedHashSet<>();
    for (int n = 0; n < EVENTS; n++) {
      String body =
          "{\"sessionId\":\"restart\",\"event\":\"task.updated\",\"nonce\":\"n-"
              + n
              + "\",\"payload\":{\"taskId\":\""
              + n
              + "\",\"teamId\":\"t\"}}";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        HttpResponse<String> answer = tryPublish(body);
        if (answer != null && answer.statusCode() == 202) {
          ids.add(id(answer.body()));
          published = n + 1;
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pace: ~200 events/s
          break;
        }
        if (answer != null && answer.statusCode() != 503) {
          throw new AssertionError(
              "unexpected answer " + answer.statusCode() + " " + answer.body());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("event " + n + " never accepted");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a publisher's retry backoff
      }
    }
    return new ArrayList<>(ids);
  }

  private HttpResponse<String> tryPublish(String body) {
    try {
      return Http.publish(Services.uri(publishApi), body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String id(String body) {
    try {
      return JSON.readTree(body).get("id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
