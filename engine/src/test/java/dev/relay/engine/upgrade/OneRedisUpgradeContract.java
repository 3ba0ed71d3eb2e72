package dev.relay.engine.upgrade;

import dev.relay.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The upgrade contract with the old release's partitions on one Redis of the test's own. */
abstract class OneRedisUpgradeContract extends PartitionUpgradeContract {

  static RedisProcess redis;
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
}
