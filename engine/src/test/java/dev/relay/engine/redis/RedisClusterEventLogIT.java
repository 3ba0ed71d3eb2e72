package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.RedisTestCluster;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract against the shared three-master test Redis Cluster, flushed per test, plus what is
 * particular to a cluster: the partitions really spread over the masters, every key of a partition
 * shares its slot, and reads wake up and merge across masters. The truncation checks of {@link
 * RedisEventLogContract} run within the partition's slot, on whichever master owns it.
 */
class RedisClusterEventLogIT extends RedisEventLogContract {

  private static final int P = RedisKeyLayout.DEFAULT_PARTITIONS;
  private static RedisTestCluster cluster;

  @BeforeAll
  static void connect() {
    cluster = new RedisTestCluster();
  }

  @AfterAll
  static void disconnect() {
    cluster.close();
  }

  @BeforeEach
  void emptyCluster() {
    cluster.flush();
  }

  @Override
  protected EventLog open(int partitions, Duration retention) {
    return new RedisEventLog(
        cluster.url(),
        RedisEngineSettings.defaults()
            .withPartitions(partitions)
            .withRetention(retention)
            .withCluster(true));
  }

  @Override
  protected RedisClusterCommands<String, String> redis() {
    return cluster.admin().sync();
  }

  @Test
  void theSixteenPartitionsSpreadOverTheThreeMastersWithEachPartitionsKeysInOneSlot() {
    EventLog log = log(P);
    RedisKeyLayout layout = new RedisKeyLayout(P);
    String[] rooms = roomPerPartition(layout);
    for (String room : rooms) {
      done(log.append(withNonce(room, "n-" + room)));
    }
    RedisAdvancedClusterCommands<String, String> admin = cluster.admin().sync();

    Set<String> owners = new HashSet<>();
    for (int p = 0; p < P; p++) {
      String stream = layout.streamKey(p);
      int slot = admin.clusterKeyslot(stream).intValue();
      assertThat(slot).isEqualTo(SlotHash.getSlot(stream));
      assertThat(admin.clusterKeyslot(layout.epochKey(p))).isEqualTo(slot);
      assertThat(admin.clusterKeyslot(layout.idempotencyKey(rooms[p], "n-" + rooms[p])))
          .isEqualTo(slot);
      RedisClusterNode owner = cluster.admin().getPartitions().getPartitionBySlot(slot);
      for (RedisClusterNode node : cluster.admin().getPartitions()) {
        long here = cluster.admin().getConnection(node.getNodeId()).sync().keys(stream).size();
        assertThat(here)
            .as("%s stored on %s", stream, node.getUri())
            .isEqualTo(node.getNodeId().equals(owner.getNodeId()) ? 1 : 0);
      }
      owners.add(owner.getNodeId());
    }

    assertThat(owners).hasSize(3);
  }

  @Test
  void oneReadMergesEveryPartitionFromEveryMaster() {
    EventLog log = log(P);
    String[] rooms = roomPerPartition(new RedisKeyLayout(P));
    for (int round = 0; round < 3; round++) {
      for (String room : rooms) {
        done(log.append(numbered(room, round)));
      }
    }

    ReadBatch batch = done(log.read(StreamPositions.start(P), 100, Duration.ofSeconds(1)));

    assertThat(batch.events()).hasSize(3 * P);
    assertThat(batch.epochs()).hasSize(P);
    for (String room : rooms) {
      List<String> ofRoom =
          batch.events().stream()
              .filter(e -> e.room().equals(room))
              .map(StoredEvent::envelopeJson)
              .toList();
      assertThat(ofRoom).hasSize(3);
      for (int round = 0; round < 3; round++) {
        assertThat(ofRoom.get(round)).contains("\"n\":" + round);
      }
    }
  }

  @Test
  void aBlockedReadWakesForAnAppendToAPartitionOnAnyMaster() {
    EventLog log = log(P);
    String[] rooms = roomPerPartition(new RedisKeyLayout(P));
    StreamPositions positions = done(log.tail());
    for (String room : rooms) {
      CompletableFuture<ReadBatch> pending =
          log.read(positions, 100, Duration.ofSeconds(20)).toCompletableFuture();

      Appended appended = done(log.append(numbered(room, 1)));

      await().atMost(Duration.ofSeconds(5)).until(pending::isDone);
      ReadBatch batch = pending.join();
      assertThat(batch.events()).extracting(StoredEvent::id).containsExactly(appended.id());
      positions = batch.next();
    }
  }

  /** One room name per partition, rooms[p] in partition p. */
  private static String[] roomPerPartition(RedisKeyLayout layout) {
    String[] rooms = new String[layout.partitions()];
    int found = 0;
    for (int i = 0; found < rooms.length; i++) {
      String room = "room:" + i;
      int p = layout.partitionOf(room);
      if (rooms[p] == null) {
        rooms[p] = room;
        found++;
      }
    }
    return rooms;
  }
}
