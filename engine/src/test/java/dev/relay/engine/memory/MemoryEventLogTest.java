package dev.relay.engine.memory;

import dev.relay.engine.EventLog;
import dev.relay.engine.EventLogContract;
import java.time.Duration;

class MemoryEventLogTest extends EventLogContract {

  @Override
  protected EventLog open(Duration retention, int maxRoomEvents) {
    return new MemoryEventLog(retention, Duration.ofHours(24), maxRoomEvents, 10_000);
  }
}
