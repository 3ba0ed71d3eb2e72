package dev.relay.engine;

import dev.relay.engine.redis.RedisConnections;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared test Redis Cluster as a JUnit extension, for a contract run on a cluster: connected
 * before the class, emptied ({@code FLUSHALL}) before each test, the connections a test opened
 * closed after it. Register it as {@code @RegisterExtension static final ClusterPerTest redis = new
 * ClusterPerTest();}.
 */
public final class ClusterPerTest
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private RedisTestCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = new RedisTestCluster();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster.flush();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    cluster.closeConnections();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cluster.close();
  }

  /** The seed URL of the cluster. */
  public String url() {
    return cluster.url();
  }

  /** New cluster connections for one simulated instance, closed after the test. */
  public RedisConnections connections() {
    return cluster.connections();
  }

  /** A synchronous cluster connection for looking at keys and nodes directly. */
  public StatefulRedisClusterConnection<String, String> admin() {
    return cluster.admin();
  }
}
