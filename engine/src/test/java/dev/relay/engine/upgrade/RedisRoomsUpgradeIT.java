package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.redis.RedisEventLog;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The upgrade on one Redis of this test's own, both releases on it: the old partitions and the new
 * release's {@link RedisEventLog} (per-room streams, sharded Pub/Sub) side by side, as in
 * production.
 */
class RedisRoomsUpgradeIT extends PartitionUpgradeContract {

  private static RedisProcess redis;
  private static RedisClient admin;
  private static StatefulRedisConnection<String, String> adminConnection;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
    admin = RedisClient.create(redis.url());
    adminConnection = admin.connect();
  }

  @AfterAll
  static void stopRedis() {
    adminConnection.close();
    admin.shutdown();
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    adminConnection.sync().flushall();
  }

  @Override
  protected String url() {
    return redis.url();
  }

  @Override
  protected boolean cluster() {
    return false;
  }

  @Override
  protected RedisClusterCommands<String, String> admin() {
    return adminConnection.sync();
  }

  @Override
  protected EventLog openRooms() {
    return new RedisEventLog(redis.url(), RedisEngineSettings.defaults());
  }
}
