package dev.relay.gateway.hub;

import dev.relay.contracts.EventId;
import java.util.Arrays;

/**
 * The stream consumer's position in every partition right after it dispatched one event: per
 * partition, the stream id of the last event dispatched (or where reading started) and the
 * partition's epoch, null while the consumer has not learnt it. Immutable.
 *
 * <p>Guarantee (what recovery relies on): an event of partition {@code p} with an id at or before
 * {@code position(p)} was dispatched before the event carrying this vector; one after it was
 * dispatched later.
 */
public final class StreamVector {

  private final String[] streamIds;
  private final String[] epochs;

  private StreamVector(String[] streamIds, String[] epochs) {
    this.streamIds = streamIds;
    this.epochs = epochs;
  }

  /**
   * @param streamIds {@code <millis>-<sequence>} per partition
   * @param epochs epoch per partition, null when unknown
   */
  public static StreamVector of(String[] streamIds, String[] epochs) {
    if (streamIds.length != epochs.length) {
      throw new IllegalArgumentException("one stream id and one epoch per partition");
    }
    return new StreamVector(streamIds.clone(), epochs.clone());
  }

  public int partitions() {
    return streamIds.length;
  }

  public String streamId(int partition) {
    return streamIds[partition];
  }

  /** The epoch of {@code partition}, or null when unknown. */
  public String epoch(int partition) {
    return epochs[partition];
  }

  /** The position in {@code partition} as an event id, or null when its epoch is unknown. */
  public EventId position(int partition) {
    return epochs[partition] == null
        ? null
        : EventId.ofStreamId(streamIds[partition], epochs[partition]);
  }

  /** A copy with {@code partition} at {@code id}. */
  public StreamVector with(int partition, EventId id) {
    String[] ids = streamIds.clone();
    String[] eps = epochs.clone();
    ids[partition] = id.streamId();
    eps[partition] = id.epoch();
    return new StreamVector(ids, eps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamVector other
        && Arrays.equals(streamIds, other.streamIds)
        && Arrays.equals(epochs, other.epochs);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(streamIds) + Arrays.hashCode(epochs);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("[");
    for (int p = 0; p < streamIds.length; p++) {
      out.append(p == 0 ? "" : ", ").append(streamIds[p]).append('.').append(epochs[p]);
    }
    return out.append(']').toString();
  }
}
