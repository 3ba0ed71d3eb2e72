package dev.relay.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of {@link EventLog#read}: the events, in append order within each partition, the
 * positions to read from next, the current epoch of each partition that returned entries, and the
 * partitions that could not be read this time.
 *
 * @param unreadable partitions whose read failed while others answered (on a Redis Cluster, those
 *     of a master that is down); their positions in {@code next} are unchanged. Entries read there
 *     before the failure may since have been lost, so a reader verifies those positions ({@link
 *     EventLog#verifyPositions}) before it trusts later entries of these partitions.
 */
public record ReadBatch(
    List<StoredEvent> events,
    StreamPositions next,
    Map<Integer, String> epochs,
    Set<Integer> unreadable) {

  /** A batch in which every partition could be read. */
  public ReadBatch(List<StoredEvent> events, StreamPositions next, Map<Integer, String> epochs) {
    this(events, next, epochs, Set.of());
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }
}
