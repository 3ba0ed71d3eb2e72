package dev.relay.engine.control;

import static dev.relay.engine.StoreCalls.done;

import dev.relay.engine.RedisTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against the shared three-master test Redis Cluster: each record script touches one
 * key (one slot); each store subscribes on a node Lettuce picks, and Redis Cluster forwards the
 * {@code PUBLISH} to every node.
 */
class RedisClusterControlStoreIT extends ControlStoreContract {

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
