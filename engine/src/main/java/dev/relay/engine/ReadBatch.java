package dev.relay.engine;

import java.util.List;
import java.util.Map;

/**
 * The result of {@link EventLog#read}: the events, in append order within each partition, the
 * positions to read from next, and the current epoch of each partition that returned entries.
 */
public record ReadBatch(
    List<StoredEvent> events, StreamPositions next, Map<Integer, String> epochs) {

  public boolean isEmpty() {
    return events.isEmpty();
  }
}
