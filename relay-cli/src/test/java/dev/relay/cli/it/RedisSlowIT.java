package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 fault: Redis stops answering for a few seconds ({@code CLIENT PAUSE}, like a long fork or
 * a slow disk). Both services say so on {@code /readyz}, publish-api answers 503 rather than
 * hanging, and afterwards everything works again: every event that was answered 202 is delivered
 * once, and no connection was dropped.
 */
class RedisSlowIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

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
  void aPausedRedisIsReportedAndNothingAcceptedIsLost() throws Exception {
    redis = RedisProcess.start();
    gateway = Services.gateway(redis.url());
    publishApi = Services.publishApi(redis.url());
    String token =
        SIGNER.connectionToken("slow-1", "slow", List.of(), List.of(), Duration.ofSeconds(120));
    try (WsTestClient subscriber = WsTestClient.connect(Services.realtime(gateway, token))) {
      subscriber.expect("welcome");
      List<String> accepted = new ArrayList<>();
      accepted.add(publish(0).orElseThrow());

      pause(redis.port(), 5000);
      await("publish-api not ready while Redis is paused")
          .atMost(Duration.ofSeconds(4))
          .until(
              () ->
                  Http.get(Services.uri(publishApi).resolve("/readyz"), null).statusCode() == 503);
      long started = System.nanoTime();
      java.util.Optional<String> during = publish(1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

      await("ready again")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  Http.get(Services.uri(publishApi).resolve("/readyz"), null).statusCode() == 200
                      && Http.get(Services.uri(gateway).resolve("/readyz"), null).statusCode()
                          == 200);
      // A 503 may still have been stored once Redis resumed (the command was queued there); a
      // publisher retries with the same nonce, which answers the first id, never a second event.
      accepted.add(during.isPresent() ? during.get() : publish(1).orElseThrow());
      accepted.add(publish(2).orElseThrow());

      List<String> received = new ArrayList<>();
      for (int i = 0; i < accepted.size(); i++) {
        received.add(subscriber.expectEvent("session.ended").get("id").asText());
      }
      assertThat(received).containsExactlyElementsOf(accepted);
      subscriber.expectNothing(Duration.ofMillis(300));
      assertThat(subscriber.isClosed()).isFalse();
    }
  }

  /** Publishes; empty when publish-api answered 503 (the documented "retry" answer). */
  private java.util.Optional<String> publish(int n) throws IOException {
    HttpResponse<String> answer =
        Http.publish(
            Services.uri(publishApi),
            "{\"sessionId\":\"slow\",\"event\":\"session.ended\",\"nonce\":\"slow-"
                + n
                + "\",\"payload\":{}}");
    if (answer.statusCode() == 503) {
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      return java.util.Optional.empty();
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return java.util.Optional.of(JSON.readTree(answer.body()).get("id").asText());
  }

  /** {@code CLIENT PAUSE <millis> ALL}: Redis answers nobody for that long (Redis ≥ 6.2). */
  private static void pause(int port, int millis) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("CLIENT PAUSE " + millis + " ALL\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(socket.getInputStream().read()).isEqualTo('+');
    }
  }
}
