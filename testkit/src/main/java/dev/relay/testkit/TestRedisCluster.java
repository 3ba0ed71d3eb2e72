package dev.relay.testkit;

/**
 * The Redis Cluster that cluster integration tests of one JVM share: one {@link
 * RedisClusterProcess} (three masters) started on first use and stopped when the JVM exits. A
 * cluster has only database 0, so tests that need an empty key space flush every master themselves
 * and must not run in parallel with other cluster tests of the same JVM.
 */
public final class TestRedisCluster {

  private static RedisClusterProcess cluster;

  private TestRedisCluster() {}

  public static synchronized RedisClusterProcess get() {
    if (cluster == null) {
      RedisClusterProcess started = RedisClusterProcess.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-cluster-stop"));
      cluster = started;
    }
    return cluster;
  }

  /** A seed node's URL, for {@code REDIS_URL} with {@code REDIS_CLUSTER=true}. */
  public static String seedUrl() {
    return get().seedUrl();
  }
}
