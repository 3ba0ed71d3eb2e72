package dev.relay.engine.control;

import static dev.relay.engine.StoreCalls.done;

import dev.relay.engine.ClusterPerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared three-master test Redis Cluster: each record script touches one
 * key (one slot); each store subscribes on a node Lettuce picks, and Redis Cluster forwards the
 * {@code PUBLISH} to every node.
 */
class RedisClusterControlStoreIT extends ControlStoreContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<ControlStore> openShared(int count, Duration removalKeep) {
    List<ControlStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ControlStore store =
          new RedisControlStore(redis.connections(), removalKeep, Duration.ofMinutes(10));
      done(store.start());
      stores.add(store);
    }
    return stores;
  }
}
