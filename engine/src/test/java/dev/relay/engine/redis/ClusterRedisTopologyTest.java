package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which nodes of a cluster's node table the client keeps ({@link ClusterRedisTopology#usable}): a
 * failed master is kept while it still holds slots (its reconnect attempts trigger the refreshes
 * that find its replica's promotion) and left out once it holds none.
 */
class ClusterRedisTopologyTest {

  @Test
  void healthyMastersAndReplicasAreKept() {
    assertThat(ClusterRedisTopology.usable(node(Set.of(NodeFlag.UPSTREAM), List.of(1, 2))))
        .isTrue();
    assertThat(ClusterRedisTopology.usable(node(Set.of(NodeFlag.REPLICA), List.of()))).isTrue();
  }

  @Test
  void aFailedMasterIsKeptWhileItStillHoldsItsSlots() {
    assertThat(
            ClusterRedisTopology.usable(
                node(Set.of(NodeFlag.UPSTREAM, NodeFlag.FAIL), List.of(100, 101))))
        .isTrue();
  }

  @Test
  void aFailedNodeWithoutSlotsIsLeftOut() {
    assertThat(
            ClusterRedisTopology.usable(node(Set.of(NodeFlag.UPSTREAM, NodeFlag.FAIL), List.of())))
        .isFalse();
    assertThat(
            ClusterRedisTopology.usable(node(Set.of(NodeFlag.REPLICA, NodeFlag.FAIL), List.of())))
        .isFalse();
  }

  @Test
  void aSuspectedNodeIsKeptAndANodeWithoutAddressIsLeftOut() {
    assertThat(
            ClusterRedisTopology.usable(
                node(Set.of(NodeFlag.UPSTREAM, NodeFlag.EVENTUAL_FAIL), List.of(7))))
        .isTrue();
    assertThat(ClusterRedisTopology.usable(node(Set.of(NodeFlag.NOADDR), List.of(7)))).isFalse();
  }

  private static RedisClusterNode node(Set<NodeFlag> flags, List<Integer> slots) {
    RedisClusterNode node = new RedisClusterNode();
    node.setFlags(flags);
    node.setSlots(slots);
    return node;
  }
}
