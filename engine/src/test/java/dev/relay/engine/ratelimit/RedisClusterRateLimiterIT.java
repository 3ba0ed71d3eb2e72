package dev.relay.engine.ratelimit;

import dev.relay.engine.ClusterPerTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared three-master test Redis Cluster, flushed per test. */
class RedisClusterRateLimiterIT extends RateLimiterContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<RateLimiter> openShared(int count) {
    List<RateLimiter> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      stores.add(new RedisRateLimiter(redis.connections()));
    }
    return stores;
  }
}
