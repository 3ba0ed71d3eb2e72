package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;

/**
 * The upgrade on one Redis of this test's own, both releases on it: the old partitions and the new
 * release's {@link RedisEventLog} (per-room streams, sharded Pub/Sub) side by side, as in
 * production.
 */
class RedisRoomsUpgradeIT extends OneRedisUpgradeContract {

  @Override
  protected EventLog openRooms() {
    return new RedisEventLog(redis.url(), RedisEngineSettings.defaults());
  }
}
