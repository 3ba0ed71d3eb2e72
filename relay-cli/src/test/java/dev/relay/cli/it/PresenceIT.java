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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Presence across gateway instances (SPEC §7): members are consistent everywhere, a user's first
 * connection announces {@code presence.joined} and its last one {@code presence.left}, and the
 * members of a gateway killed with SIGKILL vanish within the presence TTL plus one sweep.
 */
class PresenceIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  private ApplicationContext gw1;
  private Process gw2;

  @AfterEach
  void stop() {
    if (gw2 != null) {
      gw2.destroyForcibly();
    }
    if (gw1 != null) {
      gw1.close();
    }
  }

  private static String token(String sub, String room, List<String> scopes) {
    return SIGNER.connectionToken(sub, null, List.of(room), scopes, Duration.ofSeconds(120));
  }

  private static JsonNode nextPresenceEvent(WsTestClient client) {
    return client.expect("event").get("event");
  }

  @Test
  void membersAreSharedAndAKilledGatewaysMembersVanish() throws Exception {
    gw1 = Services.gateway(TestRedis.url(), Map.of("relay.presence.ttl", "3s"));
    int port = Services.freePort();
    gw2 = Services.gatewayProcess(port, "presence-gw2.log", Map.of("RELAY_PRESENCE_TTL", "3s"));
    URI gw2Uri = URI.create("http://127.0.0.1:" + port);
    await("second gateway ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> Http.get(gw2Uri.resolve("/readyz"), null).statusCode() == 200);

    String room = "team:" + UUID.randomUUID();
    try (WsTestClient watcher =
        WsTestClient.connect(Services.realtime(gw1, token("watcher", room, List.of("presence"))))) {
      // The watcher is promised only what is published after its welcome: plain connects after it.
      watcher.expect("welcome");
      WsTestClient plain =
          WsTestClient.connect(Services.realtime(gw1, token("plain", room, List.of())));
      plain.expect("welcome");
      JsonNode plainJoined = nextPresenceEvent(watcher);
      assertThat(plainJoined.get("type").asText()).isEqualTo("presence.joined");
      assertThat(plainJoined.get("payload").get("sub").asText()).isEqualTo("plain");

      WsTestClient remote =
          WsTestClient.connect(
              "ws://127.0.0.1:" + port + "/realtime?token=" + token("remote", room, List.of()));
      remote.expect("welcome");
      JsonNode joined = nextPresenceEvent(watcher);
      assertThat(joined.get("type").asText()).isEqualTo("presence.joined");
      assertThat(joined.get("payload").get("sub").asText()).isEqualTo("remote");
      plain.expectNothing(Duration.ofMillis(200));

      watcher.sendJson("type", "presence", "room", room);
      assertThat(watcher.expect("presence").get("members"))
          .extracting(m -> m.get("sub").asText())
          .containsExactlyInAnyOrder("watcher", "plain", "remote");

      gw2.destroyForcibly();
      assertThat(gw2.waitFor(10, TimeUnit.SECONDS)).isTrue();

      JsonNode left = nextPresenceEvent(watcher);
      assertThat(left.get("type").asText()).isEqualTo("presence.left");
      assertThat(left.get("payload").get("sub").asText()).isEqualTo("remote");
      watcher.sendJson("type", "presence", "room", room);
      assertThat(watcher.expect("presence").get("members"))
          .extracting(m -> m.get("sub").asText())
          .containsExactlyInAnyOrder("watcher", "plain");
      remote.close();
      plain.close();
    }
  }
}
