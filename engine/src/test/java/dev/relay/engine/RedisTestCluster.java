package dev.relay.engine;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.testkit.TestRedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared test Redis Cluster ({@link TestRedisCluster}, three masters) for a cluster IT: {@link
 * #flush()} empties every master, and {@link #connections()} opens independent cluster {@link
 * RedisConnections} (one per simulated instance). A cluster has one database, so cluster ITs must
 * not run concurrently.
 */
public final class RedisTestCluster implements AutoCloseable {

  private final String url;
  private final RedisClusterClient admin;
  private final StatefulRedisClusterConnection<String, String> adminConnection;
  private final List<RedisConnections> opened = new ArrayList<>();

  public RedisTestCluster() {
    this.url = TestRedisCluster.seedUrl();
    this.admin = RedisClusterClient.create(url);
    this.adminConnection = admin.connect();
  }

  public String url() {
    return url;
  }

  /** {@code FLUSHALL} on every master. */
  public void flush() {
    adminConnection.sync().flushall();
  }

  /** A synchronous cluster connection for looking at keys and nodes directly. */
  public StatefulRedisClusterConnection<String, String> admin() {
    return adminConnection;
  }

  /** New cluster connections, closed by {@link #closeConnections()}. */
  public RedisConnections connections() {
    RedisConnections redis = new RedisConnections(url, true, Duration.ofSeconds(2));
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
