package dev.relay.service.engine;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.upgrade.LegacyMirror;
import dev.relay.engine.upgrade.PartitionLayout;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade mode of every service ({@code RELAY_UPGRADE_PARTITIONS}, docs/upgrade.md): appends
 * are also written to the previous release's partition streams, so its gateways still deliver them.
 * Turned off (by removing the setting) once no process of that release runs.
 */
final class UpgradeMirror {

  private static final Logger LOG = LoggerFactory.getLogger(UpgradeMirror.class);

  private UpgradeMirror() {}

  /**
   * {@code rooms} wrapped in a {@link LegacyMirror} writing through {@code redis} (the process's
   * store connections, closed by their owner).
   */
  static EventLog wrap(EventLog rooms, RedisConnections redis, EngineSettings settings) {
    PartitionLayout layout = new PartitionLayout(settings.upgradePartitions());
    LOG.warn(
        "upgrade mode: every append is also written to the {} partition streams of the previous"
            + " release; remove RELAY_UPGRADE_PARTITIONS once none of its processes runs",
        layout.partitions());
    return new LegacyMirror(rooms, redis, layout, Duration.ofHours(24));
  }
}
