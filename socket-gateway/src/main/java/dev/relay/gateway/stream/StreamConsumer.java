package dev.relay.gateway.stream;

import dev.relay.contracts.EventId;
import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.TruncatedPartition;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.hub.StreamVector;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of the event log and hands each event to the hub, on one dedicated thread.
 *
 * <p>Guarantees: it starts at the current end of every partition; it keeps its own position per
 * partition and, after a failure (Redis unreachable), retries with exponential backoff from the
 * same positions, so a reconnect loses nothing that is still in the stream. When a partition's
 * epoch changes (the stream was lost, e.g. a Redis restart without persistence), it cannot know
 * what it missed, so it calls {@code onPositionLost} for that partition — the gateway closes the
 * affected connections so that their clients recover, and learn {@code recovered:false}.
 *
 * <p>A failure can also lose only a stream's newest entries, with its epoch unchanged (a failover
 * to a lagging replica, a restart from an AOF that missed its last second). So after a failed read
 * (and for partitions a read reports {@link ReadBatch#unreadable()}) every position is in doubt:
 * before it dispatches any later entry of such a partition, the consumer asks the log whether the
 * entry it read last is still there ({@link EventLog#verifyPositions}). A partition found truncated
 * has been moved to a new epoch by that check (so every other gateway and every recovery learn of
 * the loss as they learn of a lost stream), and is handled here at once like an epoch change:
 * {@code onPositionLost}, and reading goes on after the stream's newest entry.
 *
 * <p>Lag ({@link #lagSeconds}) per partition: zero while the last read drained the partition; while
 * a read returns a full batch (the consumer is behind), the age of the newest entry read (now − the
 * millisecond part of its stream id, the time Redis appended it); while reads fail, at least the
 * time since the last successful read. Readable from any thread.
 */
public final class StreamConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
  private static final long SLOW_CHECK_PAUSE_MILLIS = 5000;

  private final EventLog log;
  private final Hub hub;
  private final IntConsumer onPositionLost;
  private final Runnable onReadFailure;
  private volatile long[] behindSinceMillis = new long[0];
  private volatile long lastReadMillis;
  private final Duration block;
  private final int batchSize;
  private final Map<Integer, String> epochs = new HashMap<>();

  /** Partitions whose position must be verified before entries read from them are dispatched. */
  private final Set<Integer> inDoubt = new TreeSet<>();

  /**
   * Whether the last check before a read failed slowly (a master timing out during a failover), and
   * when. That check then waits {@value #SLOW_CHECK_PAUSE_MILLIS} ms, so that it does not hold up
   * the reads of the partitions that still answer; a check that failed fast (Redis refusing) costs
   * nothing and runs again before the next read.
   */
  private boolean checkFailedSlowly;

  private long checkFailedAtNanos;

  private final LongSupplier nanoTime;
  private final Thread thread;
  private StreamVector dispatched;
  private volatile boolean running;
  private volatile boolean healthy;

  public StreamConsumer(EventLog log, Hub hub, IntConsumer onPositionLost) {
    this(log, hub, onPositionLost, () -> {}, Duration.ofSeconds(2), 500);
  }

  /**
   * @param onPositionLost called on the consumer's thread with a partition whose stream was lost,
   *     or lost entries this consumer had read
   * @param onReadFailure called on the consumer's thread for every failed read (before backoff)
   */
  public StreamConsumer(
      EventLog log,
      Hub hub,
      IntConsumer onPositionLost,
      Runnable onReadFailure,
      Duration block,
      int batchSize) {
    this(log, hub, onPositionLost, onReadFailure, block, batchSize, System::nanoTime);
  }

  /**
   * @param nanoTime the monotonic clock that tells a slow check from a fast one and times the pause
   *     after a slow one ({@link System#nanoTime} in production; tests step it)
   */
  StreamConsumer(
      EventLog log,
      Hub hub,
      IntConsumer onPositionLost,
      Runnable onReadFailure,
      Duration block,
      int batchSize,
      LongSupplier nanoTime) {
    this.log = log;
    this.hub = hub;
    this.onPositionLost = onPositionLost;
    this.onReadFailure = onReadFailure;
    this.block = block;
    this.batchSize = batchSize;
    this.nanoTime = nanoTime;
    this.thread = new Thread(this::run, "relay-stream-consumer");
    this.thread.setDaemon(true);
  }

  public void start() {
    running = true;
    thread.start();
  }

  /** True while the consumer is reading without errors. */
  public boolean isHealthy() {
    return running && healthy;
  }

  /** The stream lag of {@code partition} in seconds (see the class comment); 0 before start. */
  public double lagSeconds(int partition) {
    long[] behind = behindSinceMillis;
    if (partition >= behind.length) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long lag = behind[partition] == 0 ? 0 : now - behind[partition];
    if (!healthy && lastReadMillis > 0) {
      lag = Math.max(lag, now - lastReadMillis);
    }
    return Math.max(0, lag) / 1000.0;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    StreamPositions positions = null;
    long backoffMillis = 100;
    while (running) {
      try {
        if (positions == null) {
          StreamPositions tail = log.tail().toCompletableFuture().get(10, TimeUnit.SECONDS);
          learnEpochs(tail);
          startVector(tail);
          positions = tail;
          LOG.info("stream consumer started at {}", positions);
        }
        if (!inDoubt.isEmpty() && !checkPaused()) {
          positions = settleDoubts(positions, Set.copyOf(inDoubt), false); // right as reads resume
        }
        ReadBatch batch =
            log.read(positions, batchSize, block)
                .toCompletableFuture()
                .get(block.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        healthy = true;
        backoffMillis = 100;
        inDoubt.addAll(batch.unreadable());
        Set<Integer> moved = doubtfulPartitionsMoved(positions, batch);
        if (!moved.isEmpty()) {
          StreamPositions verified = settleDoubts(positions, moved, true);
          if (!verified.equals(positions)) {
            positions = verified; // a partition was truncated: read again from the new positions
            continue;
          }
        }
        checkEpochs(batch);
        dispatch(batch);
        positions = batch.next();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        if (healthy) {
          LOG.warn("stream read failed, retrying with backoff: {}", e.toString());
        }
        healthy = false;
        if (positions != null) {
          for (int p = 0; p < positions.partitions(); p++) {
            inDoubt.add(p);
          }
        }
        onReadFailure.run();
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, 5000);
      }
    }
  }

  private void dispatch(ReadBatch batch) {
    int partitions = batch.next().partitions();
    int[] perPartition = new int[partitions];
    long[] behind = new long[partitions];
    for (StoredEvent event : batch.events()) {
      dispatched = dispatched.with(event.partition(), event.id());
      hub.dispatch(event, dispatched);
      if (++perPartition[event.partition()] >= batchSize) {
        behind[event.partition()] = Math.max(1, event.id().millis());
      }
    }
    lastReadMillis = System.currentTimeMillis();
    behindSinceMillis = behind;
  }

  /**
   * Learns the epoch of every non-empty partition by reading its newest entry again (from just
   * before the tail), so recovery offsets name epochs even for partitions no event was dispatched
   * from yet. Nothing read here is dispatched. A partition still empty stays without epoch until
   * its first event.
   */
  private void learnEpochs(StreamPositions tail) throws Exception {
    String[] before = new String[tail.partitions()];
    boolean any = false;
    for (int p = 0; p < before.length; p++) {
      before[p] = predecessor(tail.get(p));
      any |= !before[p].equals(tail.get(p));
    }
    if (!any) {
      return;
    }
    ReadBatch probe =
        log.read(StreamPositions.of(before), 1, Duration.ofMillis(1))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    epochs.putAll(probe.epochs());
  }

  private void startVector(StreamPositions tail) {
    String[] ids = new String[tail.partitions()];
    String[] eps = new String[tail.partitions()];
    for (int p = 0; p < ids.length; p++) {
      ids[p] = tail.get(p);
      eps[p] = epochs.get(p);
    }
    dispatched = StreamVector.of(ids, eps);
    hub.startAt(dispatched);
  }

  /** The stream id just before {@code streamId}, or {@code 0-0} unchanged. */
  static String predecessor(String streamId) {
    int dash = streamId.indexOf('-');
    long millis = Long.parseLong(streamId.substring(0, dash));
    long sequence = Long.parseLong(streamId.substring(dash + 1));
    if (sequence > 0) {
      return millis + "-" + (sequence - 1);
    }
    return millis > 0 ? (millis - 1) + "-" + Long.MAX_VALUE : streamId;
  }

  /**
   * Verifies the positions of {@code partitions} ({@link EventLog#verifyPositions}), takes them out
   * of doubt and handles those found truncated; returns the positions to read from. Only positions
   * of entries this consumer read (not {@code 0-0}, epoch known) can be verified; the others had
   * nothing to lose. When the log cannot answer, the partitions stay in doubt, and the failure is
   * thrown only when {@code mustSucceed}; otherwise the read that follows tells whether the store
   * is back.
   */
  private StreamPositions settleDoubts(
      StreamPositions positions, Set<Integer> partitions, boolean mustSucceed)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<Integer, EventId> lastRead = new TreeMap<>();
    for (int p : partitions) {
      String epoch = epochs.get(p);
      if (epoch != null && !EventId.STREAM_START.equals(positions.get(p))) {
        lastRead.put(p, EventId.ofStreamId(positions.get(p), epoch));
      }
    }
    List<TruncatedPartition> truncated;
    long started = nanoTime.getAsLong();
    try {
      truncated = log.verifyPositions(lastRead).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      if (mustSucceed) {
        throw e;
      }
      checkFailedAtNanos = nanoTime.getAsLong();
      checkFailedSlowly = checkFailedAtNanos - started > TimeUnit.MILLISECONDS.toNanos(500);
      return positions;
    }
    checkFailedSlowly = false;
    inDoubt.removeAll(partitions);
    StreamPositions next = positions;
    for (TruncatedPartition lost : truncated) {
      next = next.with(lost.partition(), lost.resumeAfter());
      truncatedPartition(lost, positions.get(lost.partition()));
    }
    return next;
  }

  private boolean checkPaused() {
    return checkFailedSlowly
        && nanoTime.getAsLong() - checkFailedAtNanos
            < TimeUnit.MILLISECONDS.toNanos(SLOW_CHECK_PAUSE_MILLIS);
  }

  /** The partitions in doubt whose position {@code batch} moves on. */
  private Set<Integer> doubtfulPartitionsMoved(StreamPositions positions, ReadBatch batch) {
    if (inDoubt.isEmpty()) {
      return Set.of();
    }
    Set<Integer> moved = new TreeSet<>();
    for (int p : inDoubt) {
      if (!batch.next().get(p).equals(positions.get(p))) {
        moved.add(p);
      }
    }
    return moved;
  }

  /**
   * A partition lost entries this consumer had read. The check already moved it to a new epoch;
   * from here on it is read after the newest entry the check saw, whose successors all carry that
   * epoch (or, for a stream gone entirely, from its start, learning the next epoch from the first
   * entry). Dispatch positions name the new epoch, so recovery offsets handed out from now on are
   * valid.
   */
  private void truncatedPartition(TruncatedPartition lost, String position) {
    int partition = lost.partition();
    String known =
        lost.epoch() == null ? epochs.remove(partition) : epochs.put(partition, lost.epoch());
    if (lost.epoch() == null) {
      LOG.warn(
          "partition {} lost its stream, with entries this gateway had read (last read {}.{}): "
              + "its next append starts a new epoch, reading it from the start",
          partition,
          position,
          known);
    } else {
      LOG.warn(
          "partition {} lost entries this gateway had read (last read {}.{} is gone): "
              + "now epoch {}, reading on after {}",
          partition,
          position,
          known,
          lost.epoch(),
          lost.resumeAfter());
      dispatched = dispatched.with(partition, EventId.ofStreamId(lost.resumeAfter(), lost.epoch()));
      hub.startAt(dispatched);
    }
    onPositionLost.accept(partition);
  }

  private void checkEpochs(ReadBatch batch) {
    batch
        .epochs()
        .forEach(
            (partition, epoch) -> {
              String known = epochs.put(partition, epoch);
              if (known != null && !known.equals(epoch)) {
                LOG.warn(
                    "partition {} changed epoch {} -> {}: stream was lost",
                    partition,
                    known,
                    epoch);
                onPositionLost.accept(partition);
              }
            });
  }
}
