package dev.relay.engine;

import java.util.Arrays;

/**
 * One read position per partition: the stream id ({@code <millis>-<sequence>}) of the last entry
 * seen, or {@code 0-0}. Immutable.
 */
public final class StreamPositions {

  private final String[] ids;

  private StreamPositions(String[] ids) {
    this.ids = ids;
  }

  public static StreamPositions of(String... ids) {
    return new StreamPositions(ids.clone());
  }

  /** Every partition at its start. */
  public static StreamPositions start(int partitions) {
    String[] ids = new String[partitions];
    Arrays.fill(ids, "0-0");
    return new StreamPositions(ids);
  }

  public int partitions() {
    return ids.length;
  }

  public String get(int partition) {
    return ids[partition];
  }

  /** A copy with {@code partition} moved to {@code streamId}. */
  public StreamPositions with(int partition, String streamId) {
    String[] copy = ids.clone();
    copy[partition] = streamId;
    return new StreamPositions(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamPositions other && Arrays.equals(ids, other.ids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return Arrays.toString(ids);
  }
}
