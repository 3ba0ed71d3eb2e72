package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;

/**
 * The upgrade on the shared three-master test cluster with both releases on it, as in production:
 * the old partitions and the new release's {@link RedisEventLog} (per-room streams, sharded
 * Pub/Sub), whose keys sit in other slots than the partitions'.
 */
class RedisRoomsClusterUpgradeIT extends ClusterUpgradeContract {

  @Override
  protected EventLog openRooms() {
    return new RedisEventLog(cluster.url(), RedisEngineSettings.defaults().withCluster(true));
  }
}
