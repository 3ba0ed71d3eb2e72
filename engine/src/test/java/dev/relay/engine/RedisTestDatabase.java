package dev.relay.engine;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One database of the shared test Redis for a store IT: flushed on {@link #flush()}, with as many
 * independent {@link RedisConnections} (one per simulated instance) as a test asks for.
 */
public final class RedisTestDatabase implements AutoCloseable {

  private final String url;
  private final RedisClient admin;
  private final StatefulRedisConnection<String, String> adminConnection;
  private final List<RedisConnections> opened = new ArrayList<>();

  public RedisTestDatabase(int database) {
    this.url = TestRedis.url(database);
    this.admin = RedisClient.create(url);
    this.adminConnection = admin.connect();
  }

  public void flush() {
    adminConnection.sync().flushdb();
  }

  /** A synchronous connection for looking at keys directly. */
  public StatefulRedisConnection<String, String> admin() {
    return adminConnection;
  }

  /** New connections, closed by {@link #closeConnections()}. */
  public RedisConnections connections() {
    RedisConnections redis = new RedisConnections(url, Duration.ofSeconds(2));
    opened.add(redis);
    return redis;
  }

  public void closeConnections() {
    opened.forEach(RedisConnections::close);
    opened.clear();
  }

  @Override
  public void close() {
    closeConnections();
    adminConnection.close();
    admin.shutdown();
  }
}
