package dev.relay.bench.stats;

import java.util.Arrays;

/**
 * A growable list of latency samples in microseconds, confined to one thread while recording;
 * {@link #merge} combines several after the recording threads stopped. Percentiles use the
 * nearest-rank method on the exact sorted samples: no bucketing error. Recording stops at {@code
 * cap} samples and counts the overflow, so memory stays bounded.
 */
public final class Samples {

  private final int cap;
  private int[] values = new int[1024];
  private int size;
  private long dropped;

  public Samples(int cap) {
    this.cap = cap;
  }

  /** Records one sample of {@code nanos}, rounded to whole microseconds (negative → 0). */
  public void recordNanos(long nanos) {
    if (size == cap) {
      dropped++;
      return;
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, (int) Math.min(cap, values.length * 2L));
    }
    long micros = Math.max(0, (nanos + 500) / 1000);
    values[size++] = (int) Math.min(Integer.MAX_VALUE, micros);
  }

  public int size() {
    return size;
  }

  public long dropped() {
    return dropped;
  }

  /** All samples of {@code parts}, sorted; the parts must no longer be recorded to. */
  public static Sorted merge(Iterable<Samples> parts) {
    int total = 0;
    for (Samples part : parts) {
      total += part.size;
    }
    int[] all = new int[total];
    int at = 0;
    for (Samples part : parts) {
      System.arraycopy(part.values, 0, all, at, part.size);
      at += part.size;
    }
    Arrays.sort(all);
    return new Sorted(all);
  }

  /** Sorted samples in microseconds. */
  public static final class Sorted {
    private final int[] sorted;

    Sorted(int[] sorted) {
      this.sorted = sorted;
    }

    public int count() {
      return sorted.length;
    }

    /**
     * The nearest-rank percentile in milliseconds: the smallest sample with at least {@code p}
     * percent of the samples at or below it; {@code NaN} when there are no samples.
     */
    public double percentileMillis(double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      if (p <= 0) {
        return sorted[0] / 1000.0;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] / 1000.0;
    }

    public double maxMillis() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0;
    }
  }
}
