package dev.relay.engine.presence;

import dev.relay.engine.RedisTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterPresenceStoreIT extends PresenceStoreContract {

  private static RedisTestCluster redis;

  @BeforeAll
  static void connect() {
    redis = new RedisTestCluster();
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void emptyCluster() {
    redis.flush();
  }

  @AfterEach
  void closeConnections() {
    redis.closeConnections();
  }

  @Override
  protected List<PresenceStore> openShared(int count, Duration instanceTtl) {
    List<PresenceStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisPresenceStore(redis.connections(), instanceTtl));
    }
    return stores;
  }
}
