package dev.relay.engine.presence;

import dev.relay.engine.ClusterPerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterPresenceStoreIT extends PresenceStoreContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<PresenceStore> openShared(int count, Duration instanceTtl) {
    List<PresenceStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisPresenceStore(redis.connections(), instanceTtl));
    }
    return stores;
  }
}
