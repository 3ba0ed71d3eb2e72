package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisClusterProcess;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A master of a Redis Cluster with replicas dies under a running gateway and publish-api (SPEC §9,
 * "N gateways and M publish-apis on … a Redis Cluster"; docs/engine.md "Failover"). Three masters
 * with one replica each, started by this test; WebSocket clients in one room per master; then the
 * master of one room is killed by its pid once its replica has caught up. While the cluster fails
 * over, events of the rooms on the other masters keep reaching the clients; publishing to the lost
 * master's room answers 503 with {@code Retry-After} until the replica is promoted and the clients
 * learn the new topology, then 202. Every event accepted reaches every client exactly once, in
 * order per room, and neither the clients nor the services are restarted.
 */
class ClusterFailoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final Map<String, Object> CLUSTER =
      Map.of(
          "redis.cluster", "true",
          "relay.connect.limit.per.sub", "1000/min",
          "relay.publish.limit.per.room", "1000/s");

  private static RedisClusterProcess cluster;
  private static ApplicationContext gateway;
  private static ApplicationContext publishApi;

  @BeforeAll
  static void start() {
    cluster = RedisClusterProcess.start(1);
    gateway = Services.gateway(cluster.seedUrl(), CLUSTER);
    publishApi = Services.publishApi(cluster.seedUrl(), CLUSTER);
  }

  @AfterAll
  static void stop() {
    Services.closeAll(gateway, publishApi, cluster);
  }

  @Test
  @Timeout(value = 55, unit = TimeUnit.SECONDS)
  void afterAMasterDiesItsReplicaTakesOverAndEveryAcceptedEventArrivesExactlyOnce() {
    Map<RedisProcess, String> roomByMaster = roomPerMaster();
    assertThat(roomByMaster).hasSize(3);
    RedisProcess victim =
        roomByMaster.keySet().stream()
            .filter(master -> !cluster.seedUrl().equals(master.url()))
            .findFirst()
            .orElseThrow();
    String failedRoom = roomByMaster.get(victim);
    List<String> steadyRooms =
        roomByMaster.values().stream().filter(room -> !room.equals(failedRoom)).toList();
    List<String> rooms = List.copyOf(roomByMaster.values());
    Map<String, List<String>> accepted = new HashMap<>();

    try (WsTestClient first = connect("acct-1", rooms);
        WsTestClient second = connect("acct-2", rooms)) {
      for (String room : rooms) {
        accepted.computeIfAbsent(room, r -> new ArrayList<>()).add(publish(room, "before"));
      }
      assertReceived(first, accepted, 3);
      assertReceived(second, accepted, 3);
      cluster.awaitReplicated();

      victim.kill();
      long killedAt = System.nanoTime();

      Map<String, List<String>> duringFailover = new HashMap<>();
      for (String room : steadyRooms) {
        duringFailover.computeIfAbsent(room, r -> new ArrayList<>()).add(publish(room, "during"));
      }
      assertReceived(first, duringFailover, 2);
      assertReceived(second, duringFailover, 2);

      Map<String, List<String>> afterFailover = new HashMap<>();
      afterFailover.put(failedRoom, new ArrayList<>(List.of(publishUntilAccepted(failedRoom))));
      System.out.printf(
          "figure: ClusterFailoverIT the lost master's rooms accept publishes %d ms after the kill%n",
          (System.nanoTime() - killedAt) / 1_000_000);
      assertThat(cluster.masters())
          .as("a replica was promoted: three live masters serve the slots")
          .hasSize(3)
          .doesNotContain(victim);
      for (String room : rooms) {
        afterFailover.computeIfAbsent(room, r -> new ArrayList<>()).add(publish(room, "after"));
      }
      assertReceived(first, afterFailover, 4);
      assertReceived(second, afterFailover, 4);
      System.out.printf(
          "figure: ClusterFailoverIT both clients have every event of every room %d ms after the"
              + " kill%n",
          (System.nanoTime() - killedAt) / 1_000_000);
      first.expectNothing(Duration.ofMillis(300));
      second.expectNothing(Duration.ofMillis(300));
    }
    await("both services ready again")
        .atMost(Duration.ofSeconds(10))
        .until(() -> readyz(gateway) == 200 && readyz(publishApi) == 200);
  }

  /**
   * Publishes to a room whose master was lost until publish-api accepts: 503 with {@code
   * Retry-After} while the cluster fails over, with the same idempotency key, so a retry whose
   * first attempt was stored after all is answered with the first id instead of storing it twice.
   */
  private static String publishUntilAccepted(String room) {
    String key = "failover-" + UUID.randomUUID();
    String[] id = new String[1];
    await("a publish to the failed-over slots is accepted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> answer =
                  Http.publish(Services.uri(publishApi), body(room, key), key);
              if (answer.statusCode() == 503) {
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                return false;
              }
              assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
              id[0] = idOf(answer);
              return true;
            });
    return id[0];
  }

  private static String publish(String room, String marker) {
    HttpResponse<String> answer = Http.publish(Services.uri(publishApi), body(room, marker));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return idOf(answer);
  }

  /** The next {@code count} events of {@code client} are exactly {@code published}, per room. */
  private static void assertReceived(
      WsTestClient client, Map<String, List<String>> published, int count) {
    Map<String, List<String>> received = new HashMap<>();
    for (JsonNode event : client.expectEvents(count)) {
      received
          .computeIfAbsent(event.get("room").asText(), r -> new ArrayList<>())
          .add(event.get("id").asText());
    }
    assertThat(received).isEqualTo(published);
  }

  private static WsTestClient connect(String sub, List<String> rooms) {
    String token = SIGNER.connectionToken(sub, null, rooms, List.of(), Duration.ofSeconds(120));
    WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token));
    client.expect("welcome");
    return client;
  }

  /** One room on each master. */
  private static Map<RedisProcess, String> roomPerMaster() {
    String base = "team:" + UUID.randomUUID() + "-";
    Map<RedisProcess, String> rooms = new LinkedHashMap<>();
    for (int n = 0; rooms.size() < cluster.masters().size(); n++) {
      rooms.putIfAbsent(cluster.masterOf(RedisKeyLayout.roomStream(base + n)), base + n);
    }
    return rooms;
  }

  private static String body(String room, String marker) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"task.updated\",\"payload\":{\"taskId\":\""
        + marker
        + "\",\"teamId\":\"t\"}}";
  }

  private static String idOf(HttpResponse<String> answer) {
    try {
      return JSON.readTree(answer.body()).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int readyz(ApplicationContext service) {
    return Http.get(Services.uri(service).resolve("/readyz"), null).statusCode();
  }
}
