package dev.relay.engine.upgrade;

import dev.relay.engine.ClusterPerTest;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upgrade contract with the old release's partitions on the shared three-master test cluster:
 * the mirror's writes routed to each partition's master, and the bridge reading each partition on a
 * connection of its own.
 */
abstract class ClusterUpgradeContract extends PartitionUpgradeContract {

  @RegisterExtension static final ClusterPerTest cluster = new ClusterPerTest();

  @Override
  protected String url() {
    return cluster.url();
  }

  @Override
  protected boolean cluster() {
    return true;
  }

  @Override
  protected RedisClusterCommands<String, String> admin() {
    return cluster.admin().sync();
  }
}
