package dev.relay.engine.redis;

import dev.relay.engine.EventLog;
import dev.relay.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against the shared test Redis, in the engine's own database, flushed per test. Every
 * test still uses rooms of its own: sharded Pub/Sub channels are shared by all databases.
 */
class RedisEventLogIT extends RedisEventLogContract {

  private static final int DATABASE = 9;
  private static RedisClient admin;
  private static StatefulRedisConnection<String, String> adminConnection;

  @BeforeAll
  static void connect() {
    admin = RedisClient.create(TestRedis.url(DATABASE));
    adminConnection = admin.connect();
  }

  @AfterAll
  static void disconnect() {
    adminConnection.close();
    admin.shutdown();
  }

  @BeforeEach
  void emptyDatabase() {
    adminConnection.sync().flushdb();
  }

  @Override
  protected EventLog open(Duration retention, int maxRoomEvents) {
    return new RedisEventLog(
        TestRedis.url(DATABASE),
        RedisEngineSettings.defaults().withRetention(retention).withMaxRoomEvents(maxRoomEvents));
  }

  @Override
  protected RedisClusterCommands<String, String> redis() {
    return adminConnection.sync();
  }
}
