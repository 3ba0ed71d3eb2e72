package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway through a Redis outage, on a Redis of its own: the stream consumer backs off, {@code
 * /readyz} says 503 while it cannot read, and it resumes from its positions afterwards. A Redis
 * that kept its data (AOF) loses nothing; one that lost its streams makes the gateway close the
 * affected connections (1001) and recovery answer {@code recovered:false}.
 */
class GatewayRedisOutageIT {

  private RedisProcess redis;
  private EmbeddedServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.getApplicationContext().close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private GatewayFixture start(RedisProcess redisProcess) {
    redis = redisProcess;
    server =
        ApplicationContext.run(
            EmbeddedServer.class,
            Map.of(
                "redis.url",
                redis.url(),
                "jwt.signing.secret",
                GatewayFixture.SECRET,
                "micronaut.server.port",
                "-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> readyz() == 200);
    return new GatewayFixture(
        server.getURI(), server.getApplicationContext().getBean(EventLog.class));
  }

  private int readyz() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(server.getURI().resolve("/readyz"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String publishWhenUp(GatewayFixture gw, String room) {
    String[] id = new String[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              id[0] = gw.publish(room, "participant.joined", "{\"participantId\":\"p\"}");
              return true;
            });
    return id[0];
  }

  @Test
  void aPersistentRedisRestartLosesNothingAndReadinessFollowsRedis() throws Exception {
    GatewayFixture gw = start(RedisProcess.startPersistent());
    String session = unique("s");
    try (WsTestClient client = gw.connect(gw.token("acct-1", session, List.of(), List.of()))) {
      String before =
          gw.publish("session:" + session, "participant.joined", "{\"participantId\":\"a\"}");
      assertThat(client.expectEvents(1).get(0).get("id").asText()).isEqualTo(before);

      redis.kill();
      await().atMost(Duration.ofSeconds(15)).until(() -> readyz() == 503);
      redis.restart();
      await().atMost(Duration.ofSeconds(20)).until(() -> readyz() == 200);

      String after = publishWhenUp(gw, "session:" + session);
      assertThat(client.expectEvents(1).get(0).get("id").asText()).isEqualTo(after);
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void aLostStreamClosesAffectedConnectionsAndRecoveryAnswersNotRecovered() {
    GatewayFixture gw = start(RedisProcess.start());
    String session = unique("s");
    String token = gw.token("acct-1", session, List.of(), List.of());
    String before;
    try (WsTestClient client = gw.connect(token)) {
      before = gw.publish("session:" + session, "participant.joined", "{\"participantId\":\"a\"}");
      assertThat(client.expectEvents(1).get(0).get("id").asText()).isEqualTo(before);

      redis.restart();
      publishWhenUp(gw, "session:" + session);
      assertThat(client.closeCode()).isEqualTo(1001);
    }
    try (WsTestClient again = gw.connect(token)) {
      again.sendJson("type", "subscribe", "room", "session:" + session, "since", before);
      JsonNode subscribed = again.expect("subscribed");
      assertThat(subscribed.get("recovered").asBoolean()).isFalse();
    }
  }
}
