package dev.relay.engine.webhook;

import dev.relay.engine.RedisTestCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterWebhookQueueIT extends WebhookQueueContract {

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
  protected List<WebhookQueue> openShared(int count) {
    List<WebhookQueue> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisWebhookQueue(redis.connections(), CAPACITY, DEAD_KEPT));
    }
    return stores;
  }
}
