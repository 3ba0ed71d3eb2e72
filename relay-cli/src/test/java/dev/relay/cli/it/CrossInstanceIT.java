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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways and two publish-apis on one Redis (SPEC §7, §9): every event reaches every
 * subscriber exactly once, in order; a client that missed events recovers them on the instance it
 * left or on the other one.
 */
class CrossInstanceIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final Map<String, Object> LIMITS =
      Map.of("relay.connect.limit.per.sub", "1000/min", "relay.publish.limit.per.room", "1000/s");
  private static ApplicationContext gw1;
  private static ApplicationContext gw2;
  private static ApplicationContext pa1;
  private static ApplicationContext pa2;

  @BeforeAll
  static void start() {
    gw1 = Services.gateway(TestRedis.url(), LIMITS);
    gw2 = Services.gateway(TestRedis.url(), LIMITS);
    pa1 = Services.publishApi(TestRedis.url(), LIMITS);
    pa2 = Services.publishApi(TestRedis.url(), LIMITS);
  }

  @AfterAll
  static void stop() {
    for (ApplicationContext c : List.of(gw1, gw2, pa1, pa2)) {
      c.close();
    }
  }

  private static WsTestClient connect(
      ApplicationContext gateway, String sub, String session, List<String> rooms) {
    String token = SIGNER.connectionToken(sub, session, rooms, List.of(), Duration.ofSeconds(120));
    WsTestClient client = WsTestClient.connect(Services.realtime(gateway, token));
    client.expect("welcome");
    return client;
  }

  private static String publish(ApplicationContext publishApi, String room, int n) {
    return Http.publishTask(Services.uri(publishApi), room, n);
  }

  @Test
  void everySubscriberOnEitherGatewayGetsEveryEventExactlyOnceInOrder() {
    String session = "x-" + UUID.randomUUID();
    List<WsTestClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      subscribers.add(connect(i % 2 == 0 ? gw1 : gw2, "sub-" + i, session, List.of()));
    }
    List<String> published = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      published.add(publish(n % 2 == 0 ? pa1 : pa2, "session:" + session, n));
    }
    for (WsTestClient subscriber : subscribers) {
      List<String> ids =
          subscriber.expectEvents(40).stream().map(e -> e.get("id").asText()).toList();
      assertThat(ids).containsExactlyElementsOf(published);
      subscriber.expectNothing(Duration.ofMillis(200));
      subscriber.close();
    }
  }

  @Test
  void recoversFiveMissedEventsOnTheSameAndOnTheOtherInstance() {
    for (ApplicationContext reconnectTo : List.of(gw1, gw2)) {
      String room = "team:" + UUID.randomUUID();
      String seen;
      try (WsTestClient before = connect(gw1, "acct-r", null, List.of(room))) {
        String first = publish(pa1, room, 0);
        seen = before.expectEvents(1).get(0).get("id").asText();
        assertThat(seen).isEqualTo(first);
      }
      List<String> missed = new ArrayList<>();
      for (int n = 1; n <= 5; n++) {
        missed.add(publish(n % 2 == 0 ? pa1 : pa2, room, n));
      }
      try (WsTestClient after = connect(reconnectTo, "acct-r", null, List.of(room))) {
        after.sendJson("type", "subscribe", "room", room, "since", seen);
        JsonNode subscribed = after.expect("subscribed");
        assertThat(subscribed.get("recovered").asBoolean()).isTrue();
        List<String> replayed =
            after.expectEvents(5).stream().map(e -> e.get("id").asText()).toList();
        assertThat(replayed).containsExactlyElementsOf(missed);
        String live = publish(pa2, room, 6);
        assertThat(after.expectEvents(1).get(0).get("id").asText()).isEqualTo(live);
        after.expectNothing(Duration.ofMillis(200));
        Set<String> all = new HashSet<>(replayed);
        all.add(live);
        assertThat(all).hasSize(6);
      }
    }
  }
}
