package dev.relay.bench.stats;

import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What was published and what each connection received. Event {@code seq} goes to room {@code seq %
 * rooms}, so a room's events are numbered {@code seq / rooms} and each connection tracks the ones
 * it saw in a bit set: a second receipt of the same event is a duplicate, an accepted event never
 * received is missing, an event of another room is foreign. Latency is measured from the publish
 * request's start ({@link #published}) to receipt, in the same JVM ({@code System.nanoTime}), and
 * only for events at or after {@code warmupEvents}.
 *
 * <p>Thread-safety: {@link #published}/{@link #accepted} may be called from any thread; each {@link
 * Receiver} must be fed by one thread at a time (its channel's event loop).
 */
public final class DeliveryLedger {

  private final int rooms;
  private final long warmupEvents;
  private final AtomicLongArray publishStart;
  private final AtomicIntegerArray acceptedPerRoom;
  private final Map<Thread, Samples> latencies = new ConcurrentHashMap<>();
  private final int sampleCap;

  /**
   * @param rooms number of rooms, ≥ 1
   * @param maxEvents capacity: events with a larger seq are ignored
   * @param warmupEvents events below this seq count for delivery but not for latency
   */
  public DeliveryLedger(int rooms, int maxEvents, long warmupEvents) {
    this.rooms = rooms;
    this.warmupEvents = warmupEvents;
    this.publishStart = new AtomicLongArray(Math.max(1, maxEvents));
    this.acceptedPerRoom = new AtomicIntegerArray(rooms);
    this.sampleCap = 50_000_000;
  }

  public int rooms() {
    return rooms;
  }

  public int roomOf(long seq) {
    return (int) (seq % rooms);
  }

  /** Marks the start of the publish request of {@code seq}; call before the request is written. */
  public void published(long seq, long startNanos) {
    if (seq < publishStart.length()) {
      publishStart.set((int) seq, startNanos);
    }
  }

  /** Marks {@code seq} as accepted (202): every connection in its room must receive it once. */
  public void accepted(long seq) {
    acceptedPerRoom.incrementAndGet(roomOf(seq));
  }

  /** A new receiver for one connection in {@code room}. */
  public Receiver receiver(int room) {
    return new Receiver(room);
  }

  private Samples samplesOfCurrentThread() {
    return latencies.computeIfAbsent(Thread.currentThread(), t -> new Samples(sampleCap));
  }

  /** Fan-out latencies of all receivers; call once receiving stopped. */
  public Samples.Sorted latencies() {
    return Samples.merge(latencies.values());
  }

  /** Totals over {@code receivers}; exact once publishing and receiving stopped. */
  public Totals totals(Collection<Receiver> receivers) {
    long expected = 0;
    long delivered = 0;
    long duplicates = 0;
    long missing = 0;
    long foreign = 0;
    for (Receiver r : receivers) {
      int want = acceptedPerRoom.get(r.room);
      expected += want;
      delivered += r.unique;
      duplicates += r.duplicates;
      foreign += r.foreign;
      missing += Math.max(0, want - r.unique);
    }
    return new Totals(expected, delivered, duplicates, missing, foreign);
  }

  /**
   * Delivery totals. {@code delivered} counts distinct events per connection; {@code duplicates}
   * the extra receipts; {@code missing} accepted events a connection never received.
   */
  public record Totals(long expected, long delivered, long duplicates, long missing, long foreign) {
    public boolean complete() {
      return missing == 0;
    }
  }

  /** One connection's receipts. Fed by one thread; counters are readable from any thread. */
  public final class Receiver {
    private final int room;
    private final BitSet seen = new BitSet();
    private Samples samples;
    private volatile int unique;
    private volatile int duplicates;
    private volatile int foreign;

    private Receiver(int room) {
      this.room = room;
    }

    public int room() {
      return room;
    }

    /** Records receipt of event {@code seq} at {@code nowNanos}. */
    public void received(long seq, long nowNanos) {
      if (seq < 0 || seq % rooms != room) {
        foreign++;
        return;
      }
      int index = (int) (seq / rooms);
      if (seen.get(index)) {
        duplicates++;
        return;
      }
      seen.set(index);
      unique++;
      if (seq >= warmupEvents && seq < publishStart.length()) {
        long start = publishStart.get((int) seq);
        if (start != 0) {
          if (samples == null) {
            samples = samplesOfCurrentThread();
          }
          samples.recordNanos(nowNanos - start);
        }
      }
    }

    public int unique() {
      return unique;
    }
  }
}
