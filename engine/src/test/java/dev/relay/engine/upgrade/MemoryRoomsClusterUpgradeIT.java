package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.memory.MemoryEventLog;

/**
 * The upgrade with the old release's partitions on the shared test cluster and the new release's
 * rooms in a {@link MemoryEventLog}.
 */
class MemoryRoomsClusterUpgradeIT extends ClusterUpgradeContract {

  @Override
  protected EventLog openRooms() {
    return new MemoryEventLog();
  }
}
