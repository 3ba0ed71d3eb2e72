package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
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
 * Interest routing (SPEC §13): three gateways on one Redis whose rooms are disjoint. Each gateway
 * reads only the events of its own rooms ({@code relay_engine_events_received_total} grows by at
 * most 40% of what was published), while every client still gets every event of its room once and
 * in order; a client that moves to another gateway mid-stream recovers with no gap and no
 * duplicate.
 */
class InterestRoutingIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final Map<String, Object> LIMITS =
      Map.of(
          "relay.connect.limit.per.sub", "1000/min",
          "relay.publish.limit.per.room", "1000/s",
          "relay.publish.burst.per.room", "1000");
  private static final String RECEIVED = "relay_engine_events_received_total";
  private static final int ROOMS_PER_GATEWAY = 6;
  private static final int EVENTS_PER_ROOM = 12;

  private static final List<ApplicationContext> gateways = new ArrayList<>();
  private static ApplicationContext publishApi;

  @BeforeAll
  static void start() {
    for (int i = 0; i < 3; i++) {
      gateways.add(Services.gateway(TestRedis.url(), LIMITS));
    }
    publishApi = Services.publishApi(TestRedis.url(), LIMITS);
  }

  @AfterAll
  static void stop() {
    gateways.forEach(ApplicationContext::close);
    publishApi.close();
  }

  @Test
  void eachGatewayReadsOnlyItsOwnRoomsAndEveryClientGetsEveryEventOnceInOrder() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, List<WsTestClient>> clientsByRoom = new HashMap<>();
    List<String> rooms = new ArrayList<>();
    for (int g = 0; g < gateways.size(); g++) {
      for (int r = 0; r < ROOMS_PER_GATEWAY; r++) {
        String room = "team:" + run + "-g" + g + "-r" + r;
        rooms.add(room);
        List<WsTestClient> members = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
          members.add(connect(gateways.get(g), "acct-" + m, room));
        }
        clientsByRoom.put(room, members);
      }
    }
    double[] before = received();

    Map<String, List<String>> published = new HashMap<>();
    for (int n = 0; n < EVENTS_PER_ROOM; n++) {
      for (String room : rooms) {
        published.computeIfAbsent(room, k -> new ArrayList<>()).add(publish(room, n));
      }
    }
    int total = rooms.size() * EVENTS_PER_ROOM;

    clientsByRoom.forEach(
        (room, members) -> {
          for (WsTestClient client : members) {
            List<String> ids =
                client.expectEvents(EVENTS_PER_ROOM).stream()
                    .map(e -> e.get("id").asText())
                    .toList();
            assertThat(ids).as(room).containsExactlyElementsOf(published.get(room));
            client.expectNothing(Duration.ofMillis(100));
            client.close();
          }
        });
    double[] after = received();
    for (int g = 0; g < gateways.size(); g++) {
      double read = after[g] - before[g];
      System.out.printf(
          "figure: InterestRoutingIT gateway %d read %.0f of %d events published (%.0f %%)%n",
          g, read, total, 100 * read / total);
      assertThat(read)
          .as("events gateway %d read, of %d published", g, total)
          .isGreaterThanOrEqualTo(total / 3.0)
          .isLessThanOrEqualTo(0.4 * total);
    }
  }

  @Test
  void aClientMovingToAnotherGatewayMidStreamRecoversWithNoGapAndNoDuplicate() {
    String room = "task:" + UUID.randomUUID();
    List<String> published = new ArrayList<>();
    List<String> received = new ArrayList<>();
    try (WsTestClient stay = connect(gateways.get(2), "acct-stay", room)) {
      WsTestClient mover = connect(gateways.get(0), "acct-mover", room);
      for (int n = 0; n < 5; n++) {
        published.add(publish(room, n));
      }
      mover.expectEvents(5).forEach(e -> received.add(e.get("id").asText()));
      mover.close();
      for (int n = 5; n < 10; n++) {
        published.add(publish(room, n)); // missed while moving
      }
      try (WsTestClient moved = connect(gateways.get(1), "acct-mover", room)) {
        moved.sendJson("type", "subscribe", "room", room, "since", received.get(4));
        JsonNode subscribed = moved.expect("subscribed");
        assertThat(subscribed.get("recovered").asBoolean()).isTrue();
        moved.expectEvents(5).forEach(e -> received.add(e.get("id").asText()));
        for (int n = 10; n < 15; n++) {
          published.add(publish(room, n));
        }
        moved.expectEvents(5).forEach(e -> received.add(e.get("id").asText()));
        moved.expectNothing(Duration.ofMillis(200));
      }
      assertThat(received).containsExactlyElementsOf(published);
      List<String> stayed = stay.expectEvents(15).stream().map(e -> e.get("id").asText()).toList();
      assertThat(stayed).containsExactlyElementsOf(published);
    }
  }

  private static WsTestClient connect(ApplicationContext gateway, String sub, String room) {
    String token =
        SIGNER.connectionToken(sub, null, List.of(room), List.of(), Duration.ofSeconds(120));
    WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token));
    client.expect("welcome");
    return client;
  }

  private static String publish(String room, int n) {
    return Http.publishTask(Services.uri(publishApi), room, n);
  }

  private static double[] received() {
    double[] values = new double[gateways.size()];
    for (int g = 0; g < values.length; g++) {
      values[g] = Metrics.max(Metrics.scrape(Services.uri(gateways.get(g))), RECEIVED);
      assertThat(values[g]).as("gateway %d exposes %s", g, RECEIVED).isGreaterThanOrEqualTo(0);
    }
    return values;
  }
}
