package dev.relay.engine.memory;

import dev.relay.engine.EventLog;
import dev.relay.engine.EventLogContract;
import java.time.Duration;

class MemoryEventLogTest extends EventLogContract {

  @Override
  protected EventLog open(int partitions, Duration retention) {
    return new MemoryEventLog(partitions, retention);
  }
}
