package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis-specific metrics of docs/observability.md, scraped from a gateway and a publish-api on
 * a real Redis this test owns (ObservabilityIT covers the rest on the memory engine): they exist
 * for both Redis clients ({@code client="events"}, {@code "stores"}); events received from the
 * engine and delivered move with publishing, and the room is followed only while a connection is in
 * it; and when Redis is killed, connections lost, reconnect attempts and failures and command
 * failures rise and {@code /readyz} answers 503 — until Redis is started again, when readiness is
 * back to 200 and publishing to 202.
 */
class RedisMetricsIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final List<String> CONNECTION_COUNTERS =
      List.of(
          "relay_redis_connections_lost_total",
          "relay_redis_reconnect_attempts_total",
          "relay_redis_reconnect_failures_total",
          "relay_redis_command_failures_total");
  private static final String DISPATCHED = "relay_fanout_latency_seconds_count{stage=\"dispatch\"}";
  private static final String RECEIVED = "relay_engine_events_received_total";
  private static final String FOLLOWED = "relay_engine_followed_rooms";

  private static RedisProcess redis;
  private static ApplicationContext gateway;
  private static ApplicationContext publishApi;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    gateway = Services.gateway(redis.url());
    publishApi = Services.publishApi(redis.url());
  }

  @AfterAll
  static void stop() {
    Services.closeAll(gateway, publishApi, redis);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void redisMetricsExistMoveWithTrafficAndFollowAnOutage() {
    String gw = metrics(gateway);
    String api = metrics(publishApi);
    for (String series : connectionSeries()) {
      assertThat(Metrics.sample(gw, series)).as("gateway " + series).isGreaterThanOrEqualTo(0);
      assertThat(Metrics.sample(api, series)).as("publish-api " + series).isGreaterThanOrEqualTo(0);
    }
    assertThat(Metrics.sample(gw, FOLLOWED)).as("no connection, no room followed").isEqualTo(0);
    assertThat(Metrics.sample(gw, RECEIVED)).isGreaterThanOrEqualTo(0);

    eventsReadAndDeliveredMoveWithPublishing();
    theCountersFollowARedisOutage();
  }

  private void eventsReadAndDeliveredMoveWithPublishing() {
    String room = "team:" + UUID.randomUUID();
    String gw = metrics(gateway);
    double dispatched = Metrics.sample(gw, DISPATCHED);
    double delivered = Metrics.sample(gw, "relay_events_delivered_total");
    double received = Metrics.sample(gw, RECEIVED);
    double accepted =
        Metrics.sample(metrics(publishApi), "relay_publish_total{result=\"accepted\"}");
    String token =
        SIGNER.connectionToken("acct-m", null, List.of(room), List.of(), Duration.ofMinutes(2));
    try (WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token))) {
      client.expect("welcome");
      for (int n = 0; n < 5; n++) {
        assertThat(publish(room).statusCode()).isEqualTo(202);
      }
      client.expectEvents(5);
      assertThat(Metrics.sample(metrics(gateway), FOLLOWED)).isEqualTo(1);
    }
    awaitMetric(gateway, m -> Metrics.sample(m, RECEIVED) >= received + 5, "events received");
    awaitMetric(gateway, m -> Metrics.sample(m, DISPATCHED) >= dispatched + 5, "events read");
    awaitMetric(
        gateway,
        m -> Metrics.sample(m, "relay_events_delivered_total") >= delivered + 5,
        "events delivered");
    awaitMetric(
        publishApi,
        m -> Metrics.sample(m, "relay_publish_total{result=\"accepted\"}") >= accepted + 5,
        "publishes accepted");
    awaitMetric(gateway, m -> Metrics.sample(m, FOLLOWED) == 0, "room unfollowed after the leave");
  }

  private void theCountersFollowARedisOutage() {
    String gw = metrics(gateway);
    String api = metrics(publishApi);

    redis.kill();

    await("/readyz 503 on both services")
        .atMost(Duration.ofSeconds(15))
        .until(() -> readyz(gateway) == 503 && readyz(publishApi) == 503);
    assertThat(publish("team:" + UUID.randomUUID()).statusCode()).isEqualTo(503);
    for (String series : connectionSeries()) {
      awaitRise(gateway, gw, series);
      awaitRise(publishApi, api, series);
    }
    awaitRise(publishApi, api, "relay_publish_total{result=\"unavailable\"}");

    redis.restart();

    await("/readyz 200 on both services")
        .atMost(Duration.ofSeconds(20))
        .until(() -> readyz(gateway) == 200 && readyz(publishApi) == 200);
    assertThat(publish("team:" + UUID.randomUUID()).statusCode()).isEqualTo(202);
  }

  /** Every Redis connection counter, for both clients of a service: event log and stores. */
  private static List<String> connectionSeries() {
    return CONNECTION_COUNTERS.stream()
        .flatMap(
            counter -> Stream.of("events", "stores").map(c -> counter + "{client=\"" + c + "\"}"))
        .toList();
  }

  /** Waits until {@code series} of {@code service} is above its value in {@code before}. */
  private static void awaitRise(ApplicationContext service, String before, String series) {
    double was = Metrics.sample(before, series);
    assertThat(was).as(series + " exists").isGreaterThanOrEqualTo(0);
    awaitMetric(service, m -> Metrics.sample(m, series) > was, series + " > " + was);
  }

  private static void awaitMetric(
      ApplicationContext service, Function<String, Boolean> condition, String description) {
    await(description)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> condition.apply(metrics(service)));
  }

  private static String metrics(ApplicationContext service) {
    return Metrics.scrape(Services.uri(service));
  }

  private static int readyz(ApplicationContext service) {
    return Http.get(Services.uri(service).resolve("/readyz"), null).statusCode();
  }

  private static HttpResponse<String> publish(String room) {
    return Http.publish(
        Services.uri(publishApi),
        "{\"room\":\""
            + room
            + "\",\"event\":\"task.updated\",\"payload\":{\"taskId\":\"m\",\"teamId\":\"t\"}}");
  }
}
