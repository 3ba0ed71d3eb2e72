package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.EventDraft;
import dev.relay.engine.Recorder;
import dev.relay.engine.StoredEvent;
import dev.relay.testkit.RedisClusterProcess;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A followed room's slot is moved to another master (resharding): Redis ends the room's sharded
 * subscription on the old master, and the feed must subscribe it on the new one and go on with
 * every event, in order, nothing lost. On a cluster of the test's own.
 */
class RedisClusterSlotMoveIT {

  private RedisClusterProcess cluster;
  private RedisEventLog log;
  private Recorder feed;
  private final List<RedisClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    if (feed != null) {
      feed.feed.close();
    }
    if (log != null) {
      log.close();
    }
    clients.forEach(RedisClient::shutdown);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFollowedRoomWhoseSlotMovesIsSubscribedOnItsNewMaster() {
    cluster = RedisClusterProcess.start();
    log = new RedisEventLog(cluster.seedUrl(), RedisEngineSettings.defaults().withCluster(true));
    feed = new Recorder();
    feed.feed = log.openFeed(feed);
    String room = "room:moving";
    String stream = RedisKeyLayout.roomStream(room);
    done(feed.feed.follow(room));
    List<EventId> appended = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      appended.add(done(log.append(event(room, i))).id());
    }
    feed.awaitEvents(room, 3);

    RedisProcess from = cluster.masterOf(stream);
    RedisProcess to = cluster.masters().stream().filter(m -> m != from).findFirst().orElseThrow();
    moveSlot(SlotHash.getSlot(stream), from, to, List.of(stream, RedisKeyLayout.roomMeta(room)));
    assertThat(cluster.masterOf(stream).port()).isEqualTo(to.port());

    for (int i = 3; i < 8; i++) {
      appended.add(done(log.append(event(room, i))).id());
    }

    assertThat(feed.awaitEvents(room, 8))
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(appended);
    assertThat(feed.lost).isEmpty();
  }

  /** The documented manual resharding of one slot: IMPORTING, MIGRATING, MIGRATE, SETSLOT NODE. */
  private void moveSlot(int slot, RedisProcess from, RedisProcess to, List<String> keys) {
    RedisCommands<String, String> source = connect(from);
    RedisCommands<String, String> target = connect(to);
    String sourceId = source.clusterMyId();
    String targetId = target.clusterMyId();
    target.clusterSetSlotImporting(slot, sourceId);
    source.clusterSetSlotMigrating(slot, targetId);
    source.migrate(
        "127.0.0.1", to.port(), 0, 5000, MigrateArgs.Builder.keys(keys.toArray(String[]::new)));
    for (RedisProcess master : cluster.masters()) {
      connect(master).clusterSetSlotNode(slot, targetId);
    }
  }

  private RedisCommands<String, String> connect(RedisProcess node) {
    RedisClient client = RedisClient.create(node.url());
    clients.add(client);
    StatefulRedisConnection<String, String> connection = client.connect();
    return connection.sync();
  }

  private static EventDraft event(String room, int n) {
    return new EventDraft(room, "task.updated", "{\"n\":" + n + "}", null, null, null, null);
  }

  private static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("engine call did not succeed", e);
    }
  }
}
