package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.engine.Epochs;
import dev.relay.engine.upgrade.PartitionLayout;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade from the partitioned layout (docs/upgrade.md), end to end: a publish-api and a
 * gateway of this release in upgrade mode ({@code RELAY_UPGRADE_PARTITIONS=16}) on a Redis where
 * the previous release still runs. The previous release is played by its own append script (kept
 * verbatim as {@code legacy-append.lua}) and by reading its partition streams as its gateways did.
 * Events written by either release reach clients of the other; a client recovering across the
 * switch gets {@code recovered:false}, never a silent gap.
 */
class UpgradeFromPartitionsIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final PartitionLayout OLD = new PartitionLayout(16);
  private static final Map<String, Object> UPGRADE =
      Map.of("relay.upgrade.partitions", "16", "relay.connect.limit.per.sub", "1000/min");

  private static ApplicationContext gateway;
  private static ApplicationContext publishApi;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void start() {
    gateway = Services.gateway(TestRedis.url(), UPGRADE);
    publishApi = Services.publishApi(TestRedis.url(), UPGRADE);
    client = RedisClient.create(TestRedis.url());
    redis = client.connect();
  }

  @AfterAll
  static void stop() {
    Services.closeAll(gateway, publishApi, redis, client::shutdown);
  }

  @Test
  void eventsOfEitherReleaseReachClientsOfTheOtherOnceAndInOrder() {
    String room = "team:" + UUID.randomUUID();
    try (WsTestClient onNew = connect(room)) {
      String fromOld = oldAppend(room, "old-1");
      JsonNode first = onNew.expectEvents(1).get(0);
      assertThat(first.path("payload").path("taskId").asText()).isEqualTo("old-1");

      String fromNew = publish(room, "new-1");
      JsonNode second = onNew.expectEvents(1).get(0);
      assertThat(second.get("id").asText()).isEqualTo(fromNew);
      onNew.expectNothing(Duration.ofMillis(300));

      // What an old gateway reads: both events in the room's partition, in the old format.
      List<StreamMessage<String, String>> old =
          redis.sync().xrange(OLD.streamKey(OLD.partitionOf(room)), Range.create("-", "+")).stream()
              .filter(m -> room.equals(m.getBody().get("r")))
              .filter(m -> !m.getBody().get("t").startsWith("presence."))
              .toList();
      assertThat(old).hasSize(2);
      assertThat(old.get(0).getId() + "." + old.get(0).getBody().get("ep")).isEqualTo(fromOld);
      assertThat(old.get(1).getBody().get("e")).contains("new-1");
    }
  }

  @Test
  void aClientRecoveringWithAnIdOfThePreviousReleaseIsToldRecoveredFalse() {
    String room = "task:" + UUID.randomUUID();
    String oldId = oldAppend(room, "before-the-switch");
    await().until(() -> redis.sync().exists("relay:{" + room + "}:s") == 1); // bridged
    try (WsTestClient moved = connect(room)) {
      moved.sendJson("type", "subscribe", "room", room, "since", oldId);
      JsonNode subscribed = moved.expect("subscribed");
      assertThat(subscribed.get("recovered").asBoolean()).isFalse();
      String live = publish(room, "after-the-switch");
      assertThat(moved.expectEvents(1).get(0).get("id").asText()).isEqualTo(live);
    }
  }

  private static WsTestClient connect(String room) {
    String token =
        SIGNER.connectionToken("acct-u", null, List.of(room), List.of(), Duration.ofSeconds(60));
    WsTestClient ws = WsTestClient.connect(Services.realtime(gateway, token));
    ws.expect("welcome");
    return ws;
  }

  private static String publish(String room, String taskId) {
    return Http.publishTask(Services.uri(publishApi), room, taskId);
  }

  /** An append by a publish-api of the previous release: its script, keys and arguments. */
  private static String oldAppend(String room, String taskId) {
    int p = OLD.partitionOf(room);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String envelope =
        EnvelopeCodec.encodeWithoutId(
            room,
            "task.updated",
            "{\"taskId\":\"" + taskId + "\",\"teamId\":\"t\"}",
            null,
            now,
            null,
            null);
    List<Object> reply =
        redis
            .sync()
            .eval(
                LEGACY_APPEND,
                ScriptOutputType.MULTI,
                new String[] {OLD.streamKey(p), OLD.epochKey(p)},
                Epochs.random(),
                Long.toString(now.toEpochMilli() - Duration.ofMinutes(5).toMillis()),
                "86400",
                "r",
                room,
                "t",
                "task.updated",
                "x",
                "0",
                "e",
                envelope);
    return reply.get(0) + "." + reply.get(1);
  }

  private static String body(String room, String taskId) {
    return "{\"room\":\""
        + room
        + "\",\"event\":\"task.updated\",\"payload\":{\"taskId\":\""
        + taskId
        + "\",\"teamId\":\"t\"}}";
  }

  private static final String LEGACY_APPEND = load("/dev/relay/engine/upgrade/legacy-append.lua");

  private static String load(String resource) {
    try (InputStream in = UpgradeFromPartitionsIT.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
