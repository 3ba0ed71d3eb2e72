package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.RedisTestCluster;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The upgrade on the shared three-master test cluster with both releases on it, as in production:
 * the old partitions and the new release's {@link RedisEventLog} (per-room streams, sharded
 * Pub/Sub), whose keys sit in other slots than the partitions'.
 */
class RedisRoomsClusterUpgradeIT extends PartitionUpgradeContract {

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
    return new RedisEventLog(cluster.url(), RedisEngineSettings.defaults().withCluster(true));
  }
}
