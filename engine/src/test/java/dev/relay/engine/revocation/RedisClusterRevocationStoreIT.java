package dev.relay.engine.revocation;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.ClusterPerTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against the shared three-master test Redis Cluster. The revocation script runs on
 * the master owning {@code relay:revoked}'s slot, while each store subscribes on a node Lettuce
 * picks; Redis Cluster forwards the {@code PUBLISH} to every node.
 */
class RedisClusterRevocationStoreIT extends RevocationStoreContract {

  @RegisterExtension static final ClusterPerTest redis = new ClusterPerTest();

  @Override
  protected List<RevocationStore> openShared(int count, Duration grace) {
    List<RevocationStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RevocationStore store =
          new RedisRevocationStore(redis.connections(), grace, Duration.ofMinutes(10));
      done(store.start());
      stores.add(store);
    }
    return stores;
  }

  @Test
  void aRevocationReachesSubscribersOnEveryMaster() {
    List<RedisClusterNode> masters = new ArrayList<>();
    redis.admin().getPartitions().forEach(masters::add);
    assertThat(masters).hasSize(3);
    Set<String> heardOn = ConcurrentHashMap.newKeySet();
    List<RedisClient> clients = new ArrayList<>();
    String jti = jti();
    try {
      for (RedisClusterNode master : masters) {
        RedisClient client = RedisClient.create(master.getUri());
        clients.add(client);
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        sub.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                if (message.endsWith(" " + jti)) {
                  heardOn.add(master.getNodeId());
                }
              }
            });
        sub.sync().subscribe(RedisRevocationStore.CHANNEL);
      }

      done(stores(1).get(0).revoke(jti, Instant.now().plusSeconds(300)));

      await().atMost(Duration.ofSeconds(2)).until(() -> heardOn.size() == 3);
      String owner =
          redis
              .admin()
              .getPartitions()
              .getPartitionBySlot(SlotHash.getSlot(RedisRevocationStore.KEY))
              .getNodeId();
      assertThat(heardOn).contains(owner).hasSize(3);
    } finally {
      clients.forEach(RedisClient::shutdown);
    }
  }
}
