package dev.relay.engine.webhook;

import dev.relay.engine.ClusterPerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterWebhookQueueIT extends WebhookQueueContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<WebhookQueue> openShared(int count) {
    List<WebhookQueue> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisWebhookQueue(redis.connections(), CAPACITY, DEAD_KEPT));
    }
    return stores;
  }
}
