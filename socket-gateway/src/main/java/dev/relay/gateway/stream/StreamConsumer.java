package dev.relay.gateway.stream;

import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.hub.StreamVector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
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
 * <p>Lag ({@link #lagSeconds}) per partition: zero while the last read drained the partition; while
 * a read returns a full batch (the consumer is behind), the age of the newest entry read (now − the
 * millisecond part of its stream id, the time Redis appended it); while reads fail, at least the
 * time since the last successful read. Readable from any thread.
 */
public final class StreamConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

  private final EventLog log;
  private final Hub hub;
  private final IntConsumer onPositionLost;
  private final Runnable onReadFailure;
  private volatile long[] behindSinceMillis = new long[0];
  private volatile long lastReadMillis;
  private final Duration block;
  private final int batchSize;
  private final Map<Integer, String> epochs = new HashMap<>();
  private final Thread thread;
  private StreamVector dispatched;
  private volatile boolean running;
  private volatile boolean healthy;

  public StreamConsumer(EventLog log, Hub hub, IntConsumer onPositionLost) {
    this(log, hub, onPositionLost, () -> {}, Duration.ofSeconds(2), 500);
  }

  /**
   * @param onPositionLost called on the consumer's thread with a partition whose stream was lost
   * @param onReadFailure called on the consumer's thread for every failed read (before backoff)
   */
  public StreamConsumer(
      EventLog log,
      Hub hub,
      IntConsumer onPositionLost,
      Runnable onReadFailure,
      Duration block,
      int batchSize) {
    this.log = log;
    this.hub = hub;
    this.onPositionLost = onPositionLost;
    this.onReadFailure = onReadFailure;
    this.block = block;
    this.batchSize = batchSize;
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
          positions = log.tail().toCompletableFuture().get(10, TimeUnit.SECONDS);
          learnEpochs(positions);
          startVector(positions);
          LOG.info("stream consumer started at {}", positions);
        }
        ReadBatch batch =
            log.read(positions, batchSize, block)
                .toCompletableFuture()
                .get(block.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        healthy = true;
        backoffMillis = 100;
        checkEpochs(batch);
        int[] perPartition = new int[positions.partitions()];
        long[] behind = new long[positions.partitions()];
        for (StoredEvent event : batch.events()) {
          dispatched = dispatched.with(event.partition(), event.id());
          hub.dispatch(event, dispatched);
          if (++perPartition[event.partition()] >= batchSize) {
            behind[event.partition()] = Math.max(1, event.id().millis());
          }
        }
        lastReadMillis = System.currentTimeMillis();
        behindSinceMillis = behind;
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
