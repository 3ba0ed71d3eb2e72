package dev.relay.engine.session;

import dev.relay.engine.ClusterPerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterSessionStoreIT extends SessionStoreContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<SessionStore> openShared(int count) {
    List<SessionStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisSessionStore(redis.connections()));
    }
    return stores;
  }
}
