package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.gateway.auth.TokenSigner;
import dev.relay.service.ServiceMain;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a gateway (SPEC §8): /readyz turns 503 at once, new connections are refused, open ones
 * are closed with 1001 spread over the drain window, and the process is done well within 30 s.
 */
class GatewayDrainIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  @Test
  void drainsConnectionsWith1001SpreadOverTheWindow() throws Exception {
    ApplicationContext gateway =
        Services.gateway(TestRedis.url(), Map.of("relay.drain.window", "2s"));
    URI base = Services.uri(gateway);
    String ws = "ws://" + base.getHost() + ":" + base.getPort() + "/realtime?token=";
    List<WsTestClient> clients = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String token =
          SIGNER.connectionToken(
              "user-" + i, "drain", List.of(), List.of(), Duration.ofSeconds(60));
      WsTestClient client = WsTestClient.connect(ws + token);
      client.expect("welcome");
      clients.add(client);
    }
    long started = System.nanoTime();
    CompletableFuture<Void> shutdown =
        CompletableFuture.runAsync(() -> ServiceMain.shutdown(gateway));

    await().atMost(Duration.ofSeconds(1)).until(() -> status(base.resolve("/readyz")) == 503);
    String late =
        SIGNER.connectionToken("late", "drain", List.of(), List.of(), Duration.ofSeconds(60));
    assertThatThrownBy(() -> WsTestClient.connect(ws + late)).isNotNull();

    List<Long> closedAt = new ArrayList<>();
    for (WsTestClient client : clients) {
      assertThat(client.closeCode()).isEqualTo(1001);
      closedAt.add(System.nanoTime());
    }
    shutdown.get(30, java.util.concurrent.TimeUnit.SECONDS);
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    assertThat(total).isLessThan(Duration.ofSeconds(30));
    assertThat(total).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(gateway.isRunning()).isFalse();
  }

  private static int status(URI uri) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
