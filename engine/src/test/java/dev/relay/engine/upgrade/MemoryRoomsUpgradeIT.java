package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.memory.MemoryEventLog;

/**
 * The upgrade with the old release's partitions on a Redis of this test's own and the new release's
 * rooms in a {@link MemoryEventLog}: the mirror, the bridge and the old format without depending on
 * the Redis per-room log.
 */
class MemoryRoomsUpgradeIT extends OneRedisUpgradeContract {

  @Override
  protected EventLog openRooms() {
    return new MemoryEventLog();
  }
}
