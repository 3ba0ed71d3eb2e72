package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.RedisTestCluster;
import dev.relay.engine.memory.MemoryEventLog;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The upgrade with the old release's partitions on the shared three-master test cluster: the
 * mirror's writes routed to each partition's master, and the bridge reading each partition on a
 * connection of its own. The new release's rooms are in a {@link MemoryEventLog}.
 */
class MemoryRoomsClusterUpgradeIT extends PartitionUpgradeContract {

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
  protected String url() {
    return cluster.url();
  }

  @Override
  protected boolean cluster() {
    return true;
  }

  @Override
  protected RedisClusterCommands<String, String> admin() {
    return cluster.admin().sync();
  }

  @Override
  protected EventLog openRooms() {
    return new MemoryEventLog();
  }
}
