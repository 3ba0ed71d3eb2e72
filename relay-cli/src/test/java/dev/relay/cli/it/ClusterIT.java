package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisClusterProcess;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.TestRedisCluster;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway and a publish-api on a three-master Redis Cluster ({@code REDIS_CLUSTER=true}, the URL
 * of one seed node), SPEC §1, §9 and §13: events of rooms on every master (each room's keys and
 * live channel share its slot) reach a WebSocket client, and a client that missed events recovers
 * them with {@code since}.
 */
class ClusterIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final Map<String, Object> CLUSTER =
      Map.of(
          "redis.cluster", "true",
          "relay.connect.limit.per.sub", "1000/min",
          "relay.publish.limit.per.room", "1000/s");
  private static ApplicationContext gateway;
  private static ApplicationContext publishApi;

  @BeforeAll
  static void start() {
    String seed = TestRedisCluster.seedUrl();
    gateway = Services.gateway(seed, CLUSTER);
    publishApi = Services.publishApi(seed, CLUSTER);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    publishApi.close();
  }

  @Test
  void eventsOfRoomsOnEveryMasterReachTheClientInOrder() {
    List<String> rooms = roomsOnEveryMaster();
    try (WsTestClient client = connect("acct-c", rooms)) {
      Map<String, List<String>> published = new HashMap<>();
      for (int n = 0; n < 2; n++) {
        for (String room : rooms) {
          published.computeIfAbsent(room, r -> new ArrayList<>()).add(publish(room, n));
        }
      }

      List<JsonNode> events = client.expectEvents(2 * rooms.size());

      Map<String, List<String>> received = new HashMap<>();
      for (JsonNode event : events) {
        received
            .computeIfAbsent(event.get("room").asText(), r -> new ArrayList<>())
            .add(event.get("id").asText());
      }
      assertThat(received).isEqualTo(published);
      client.expectNothing(Duration.ofMillis(200));
    }
  }

  @Test
  void aClientThatMissedEventsRecoversThemWithSince() {
    String room = "team:" + UUID.randomUUID();
    String seen;
    try (WsTestClient before = connect("acct-r", List.of(room))) {
      String first = publish(room, 0);
      seen = before.expectEvents(1).get(0).get("id").asText();
      assertThat(seen).isEqualTo(first);
    }
    List<String> missed = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      missed.add(publish(room, n));
    }

    try (WsTestClient after = connect("acct-r", List.of(room))) {
      after.sendJson("type", "subscribe", "room", room, "since", seen);

      assertThat(after.expect("subscribed").get("recovered").asBoolean()).isTrue();
      List<String> replayed =
          after.expectEvents(5).stream().map(e -> e.get("id").asText()).toList();
      assertThat(replayed).containsExactlyElementsOf(missed);
      String live = publish(room, 6);
      assertThat(after.expectEvents(1).get(0).get("id").asText()).isEqualTo(live);
      after.expectNothing(Duration.ofMillis(200));
    }
  }

  private static WsTestClient connect(String sub, List<String> rooms) {
    String token = SIGNER.connectionToken(sub, null, rooms, List.of(), Duration.ofSeconds(120));
    WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token));
    client.expect("welcome");
    return client;
  }

  private static String publish(String room, int n) {
    return Http.publishTask(Services.uri(publishApi), room, n);
  }

  /** Four rooms on each master of the shared test cluster. */
  private static List<String> roomsOnEveryMaster() {
    RedisClusterProcess cluster = TestRedisCluster.get();
    String base = "team:" + UUID.randomUUID() + "-";
    Map<RedisProcess, List<String>> byMaster = new HashMap<>();
    for (int i = 0; byMaster.values().stream().mapToInt(List::size).sum() < 12; i++) {
      String room = base + i;
      List<String> rooms =
          byMaster.computeIfAbsent(
              cluster.masterOf(RedisKeyLayout.roomStream(room)), m -> new ArrayList<>());
      if (rooms.size() < 4) {
        rooms.add(room);
      }
    }
    assertThat(byMaster).hasSize(cluster.masters().size());
    return byMaster.values().stream().flatMap(List::stream).toList();
  }
}
