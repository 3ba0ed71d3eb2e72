package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.ClusterPerTest;
import dev.relay.engine.EventLog;
import dev.relay.engine.Recorder;
import dev.relay.engine.StoredEvent;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared three-master test Redis Cluster, flushed per test, plus what is
 * particular to a cluster: rooms spread over the masters, every key (and the channel) of a room
 * shares its slot, and a feed follows rooms on every master at once (one sharded subscription
 * connection per master).
 */
class RedisClusterEventLogIT extends RedisEventLogContract {

  @RegisterExtension static final ClusterPerTest cluster = new ClusterPerTest();

  @Override
  protected EventLog open(Duration retention, int maxRoomEvents) {
    return new RedisEventLog(
        cluster.url(),
        RedisEngineSettings.defaults()
            .withRetention(retention)
            .withMaxRoomEvents(maxRoomEvents)
            .withCluster(true));
  }

  @Override
  protected RedisClusterCommands<String, String> redis() {
    return cluster.admin().sync();
  }

  @Test
  void roomsSpreadOverTheThreeMastersWithEachRoomsKeysAndChannelInOneSlot() {
    EventLog log = log();
    RedisAdvancedClusterCommands<String, String> admin = cluster.admin().sync();
    Map<String, String> ownerOfRoom = roomPerMaster();

    for (String room : ownerOfRoom.keySet()) {
      done(log.append(withNonce(room, "n-1")));
      String stream = RedisKeyLayout.roomStream(room);
      int slot = admin.clusterKeyslot(stream).intValue();
      assertThat(admin.clusterKeyslot(RedisKeyLayout.roomMeta(room))).isEqualTo(slot);
      assertThat(admin.clusterKeyslot(RedisKeyLayout.roomNonce(room, "n-1"))).isEqualTo(slot);
      assertThat(SlotHash.getSlot(RedisKeyLayout.roomChannel(room))).isEqualTo(slot);
      for (RedisClusterNode node : cluster.admin().getPartitions()) {
        long here = cluster.admin().getConnection(node.getNodeId()).sync().keys(stream).size();
        assertThat(here)
            .as("%s stored on %s", stream, node.getUri())
            .isEqualTo(node.getNodeId().equals(ownerOfRoom.get(room)) ? 1 : 0);
      }
    }
    assertThat(new java.util.HashSet<>(ownerOfRoom.values())).hasSize(3);
  }

  @Test
  void oneFeedFollowsRoomsOnEveryMasterInOrder() {
    EventLog log = log();
    Recorder feed = feed(log);
    List<String> rooms = new ArrayList<>(roomPerMaster().keySet());
    for (String room : rooms) {
      done(feed.feed.follow(room));
    }
    Map<String, List<Appended>> appended = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (String room : rooms) {
        appended
            .computeIfAbsent(room, r -> new ArrayList<>())
            .add(done(log.append(numbered(room, round))));
      }
    }

    for (String room : rooms) {
      assertThat(feed.awaitEvents(room, 5))
          .extracting(StoredEvent::id)
          .containsExactlyElementsOf(appended.get(room).stream().map(Appended::id).toList());
    }
    assertThat(feed.lost).isEmpty();
    assertThat(feed.feed.healthy()).isTrue();
  }

  /** One room per master of the cluster: room name to the node id serving its slot. */
  private Map<String, String> roomPerMaster() {
    Map<String, String> rooms = new HashMap<>();
    java.util.Set<String> masters = new java.util.HashSet<>();
    for (int i = 0; masters.size() < 3; i++) {
      String room = room("room:" + i);
      RedisClusterNode owner =
          cluster
              .admin()
              .getPartitions()
              .getPartitionBySlot(SlotHash.getSlot(RedisKeyLayout.roomStream(room)));
      if (masters.add(owner.getNodeId())) {
        rooms.put(room, owner.getNodeId());
      }
    }
    return rooms;
  }
}
