package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.EventLog;
import dev.relay.service.http.ErrorMetrics;
import dev.relay.testkit.RedisProcess;
import dev.relay.testkit.WsTestClient;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
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
 * that kept its data (AOF) loses nothing; one that lost its streams, or only the newest entries of
 * one, makes the gateway close the affected connections (1001) and recovery answer {@code
 * recovered:false}.
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

  /**
   * The loss a failover to a lagging replica (or an AOF restart that missed its last second)
   * causes: the stream keeps its epoch but not its newest entries, which the gateway had read and
   * delivered. Simulated on the test's own Redis with {@code XDEL} of those entries and the
   * stream's last id and the room's meta set back to the entry before them (as the lagging replica
   * has them), then {@code CLIENT KILL TYPE normal} and {@code TYPE pubsub}: that drops every
   * connection of the gateway, as the failover does, so its feed repairs the room from the entry it
   * delivered last — which is gone — while the data stays exactly as the test left it (a restart
   * would need persistence, and would only reload what the test wrote anyway).
   */
  @Test
  void entriesLostAfterTheGatewayReadThemCloseItsConnectionsAndRecoveryAnswersNotRecovered() {
    GatewayFixture gw = start(RedisProcess.start());
    String session = unique("s");
    String room = "session:" + session;
    String token = gw.token("acct-1", session, List.of(), List.of());
    MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
    RedisClient admin = RedisClient.create(redis.url());
    String kept;
    try (WsTestClient client = gw.connect(token);
        StatefulRedisConnection<String, String> raw = admin.connect()) {
      kept = gw.publish(room, "participant.joined", "{\"participantId\":\"a\"}");
      String lost = gw.publish(room, "participant.joined", "{\"participantId\":\"b\"}");
      String lastRead = gw.publish(room, "participant.joined", "{\"participantId\":\"c\"}");
      assertThat(client.expectEvents(3))
          .extracting(e -> e.get("id").asText())
          .containsExactly(kept, lost, lastRead);

      String stream = RedisKeyLayout.roomStream(room);
      assertThat(raw.sync().xdel(stream, streamId(lost), streamId(lastRead))).isEqualTo(2);
      // What the promoted replica holds: the stream and the room's meta as they were after `kept`.
      raw.sync()
          .eval(
              "redis.call('XSETID', KEYS[1], ARGV[1]) "
                  + "redis.call('HSET', KEYS[2], 'last', ARGV[1], 'n', 1) return 1",
              ScriptOutputType.INTEGER,
              new String[] {stream, RedisKeyLayout.roomMeta(room)},
              streamId(kept));
      assertThat(raw.sync().clientKill(KillArgs.Builder.typeNormal())).isPositive();
      assertThat(raw.sync().clientKill(KillArgs.Builder.typePubsub())).isPositive();

      assertThat(client.closeCode()).isEqualTo(1001);
    } finally {
      admin.shutdown();
    }
    assertThat(streamLost(meters)).isEqualTo(1);
    try (WsTestClient again = gw.connect(token)) {
      again.sendJson("type", "subscribe", "room", room, "since", kept);
      assertThat(again.expect("subscribed").get("recovered").asBoolean()).isFalse();

      String after = publishWhenUp(gw, room);
      assertThat(again.expectEvents(1).get(0).get("id").asText()).isEqualTo(after);
    }
    assertThat(streamLost(meters)).as("the new epoch is not a second loss").isEqualTo(1);
  }

  private static String streamId(String eventId) {
    return EventId.parse(eventId).orElseThrow().streamId();
  }

  private static double streamLost(MeterRegistry meters) {
    return meters.get(ErrorMetrics.ERRORS).tag("type", "stream_lost").counter().count();
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
