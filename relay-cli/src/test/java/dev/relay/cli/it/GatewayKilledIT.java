package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 fault: a gateway is killed (SIGKILL) while events flow. Its clients reconnect to the
 * other gateway with the last id they saw and recover every missed event, in order, with no
 * duplicate — all of them within 5 s of the kill.
 */
class GatewayKilledIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  private ApplicationContext survivor;
  private ApplicationContext publishApi;
  private Process victim;

  @AfterEach
  void stop() {
    if (victim != null) {
      victim.destroyForcibly();
    }
    for (ApplicationContext c : new ApplicationContext[] {survivor, publishApi}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void clientsOfAKilledGatewayRecoverEverythingOnTheOtherWithinFiveSeconds() throws Exception {
    survivor = Services.gateway(TestRedis.url());
    publishApi =
        Services.publishApi(TestRedis.url(), Map.of("relay.publish.limit.per.room", "100000/s"));
    int port = Services.freePort();
    victim = Services.gatewayProcess(port, "killed-gateway.log", Map.of());
    URI victimUri = URI.create("http://127.0.0.1:" + port);
    await("gateway process ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> Http.get(victimUri.resolve("/readyz"), null).statusCode() == 200);

    String room = "team:" + UUID.randomUUID();
    List<WsTestClient> clients = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String token =
          SIGNER.connectionToken("k-" + i, null, List.of(room), List.of(), Duration.ofSeconds(120));
      tokens.add(token);
      WsTestClient client =
          WsTestClient.connect("ws://127.0.0.1:" + port + "/realtime?token=" + token);
      client.expect("welcome");
      clients.add(client);
    }
    String seen = publish(room, 0);
    for (WsTestClient client : clients) {
      assertThat(client.expectEvent("task.updated").get("id").asText()).isEqualTo(seen);
    }

    victim.destroyForcibly();
    assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.nanoTime();
    List<String> missed = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      missed.add(publish(room, n));
    }

    for (int i = 0; i < clients.size(); i++) {
      clients.get(i).closeCode();
      try (WsTestClient again = WsTestClient.connect(Services.realtime(survivor, tokens.get(i)))) {
        again.expect("welcome");
        again.sendJson("type", "subscribe", "room", room, "since", seen);
        JsonNode subscribed = again.expect("subscribed");
        assertThat(subscribed.get("recovered").asBoolean()).isTrue();
        List<String> replayed = new ArrayList<>();
        for (int n = 0; n < missed.size(); n++) {
          replayed.add(again.expectEvent("task.updated").get("id").asText());
        }
        assertThat(replayed).containsExactlyElementsOf(missed);
      }
    }
    Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf(
        "figure: GatewayKilledIT every client recovered %d ms after the kill%n",
        recovery.toMillis());
    assertThat(recovery).isLessThan(Duration.ofSeconds(5));
  }

  private String publish(String room, int n) {
    return Http.publishTask(Services.uri(publishApi), room, n);
  }
}
