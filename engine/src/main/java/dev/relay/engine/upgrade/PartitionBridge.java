package dev.relay.engine.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the events that processes of the old release append to the partition streams into the new
 * per-room layout, while a rolling upgrade runs ({@code RELAY_UPGRADE_PARTITIONS}; run by every new
 * publish-api). Together with {@link LegacyMirror}, which copies the other way, gateways of either
 * release deliver every event. See {@code docs/upgrade-partitions.md}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Every entry of a partition stream that the old release wrote (no {@code src} marker, see
 *       {@link PartitionLayout}) after the bridge's starting position is appended to its room
 *       through {@code rooms.append} ({@link EventLog#append} of the unwrapped log, never {@link
 *       LegacyMirror}), once: its nonce is derived from the entry ({@link LegacyEntry#parse}), and
 *       the room append's nonce check is atomic, so several bridges (one per publish-api) and a
 *       bridge re-reading after a failure store it once within the idempotency window.
 *   <li>A room's entries are copied in their partition order: one at a time per room, the next only
 *       after the previous was stored. Rooms of one batch are copied concurrently.
 *   <li>Starting position, per partition: the shared checkpoint {@code relay:{p<N>}:bridged} (the
 *       newest entry some bridge copied with all before it), so a bridge started while no other ran
 *       catches up on what was appended meanwhile; without a checkpoint, the stream's current end,
 *       which becomes the checkpoint. Entries trimmed by retention before any bridge read them
 *       cannot be copied: a bridge that finds at start that the checkpointed entry itself was
 *       trimmed away logs an error and counts it ({@link #trimmedBeforeCopy()}).
 *   <li>On a failure (Redis or the room log unavailable) the bridge logs it, counts it and reads
 *       again from its last position after a backoff (100 ms doubling to 2 s); nothing read after
 *       that position is lost, and what is read twice is a duplicate.
 * </ul>
 *
 * <p>Reads are blocking {@code XREAD}s on dedicated connections ({@link TailConnections}): one over
 * all partitions on one server, one per partition on a Redis Cluster. Each read loop runs on
 * callbacks of those connections; nothing blocks a caller. Thread-safe.
 */
public final class PartitionBridge implements AutoCloseable {

  static final Duration BLOCK = Duration.ofSeconds(1);
  static final int BATCH = 200;
  static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /** How long the checkpoint outlives the last copy: the old release's idempotency window. */
  static final Duration CHECKPOINT_TTL = Duration.ofHours(24);

  private static final Logger LOG = LoggerFactory.getLogger(PartitionBridge.class);
  private static final RedisScript CHECKPOINT =
      RedisScript.load(PartitionBridge.class, "bridge-checkpoint.lua");

  private final EventLog rooms;
  private final RedisConnections redis;
  private final PartitionLayout layout;
  private final TailConnections readers;
  private final List<PartitionTail> tails = new ArrayList<>();
  private final Counters counters = new Counters();
  private volatile boolean closed;

  /**
   * Opens nothing yet; {@link #start()} does.
   *
   * @param rooms the new release's log, unwrapped (not a {@link LegacyMirror})
   * @param redis command connections to the shared Redis (positions and checkpoints); owned by the
   *     caller
   * @param url the same Redis, for the bridge's own blocking connections: one server's URL, or with
   *     {@code cluster} any node of the cluster
   * @param commandTimeout the service's command timeout
   */
  public PartitionBridge(
      EventLog rooms,
      RedisConnections redis,
      String url,
      boolean cluster,
      PartitionLayout layout,
      Duration commandTimeout) {
    if (rooms instanceof LegacyMirror) {
      throw new IllegalArgumentException("the bridge appends to the unwrapped log, not the mirror");
    }
    this.rooms = rooms;
    this.redis = redis;
    this.layout = layout;
    this.readers = new TailConnections(url, cluster, BLOCK.plus(commandTimeout));
    if (cluster) {
      for (int p = 0; p < layout.partitions(); p++) {
        tails.add(new PartitionTail(this, new int[] {p}));
      }
    } else {
      int[] all = new int[layout.partitions()];
      for (int p = 0; p < all.length; p++) {
        all[p] = p;
      }
      tails.add(new PartitionTail(this, all));
    }
  }

  /**
   * Starts copying. Completes once every partition has its starting position, so an entry appended
   * to a partition after that is copied; until Redis answers it keeps trying (the stage stays
   * incomplete). Call once.
   */
  public CompletionStage<Void> start() {
    LOG.info(
        "upgrade: bridging {} partition streams of the old release into per-room streams",
        layout.partitions());
    List<CompletableFuture<Void>> started = new ArrayList<>(tails.size());
    for (PartitionTail tail : tails) {
      started.add(tail.start());
    }
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
  }

  /** Entries of the old release stored in their rooms by this bridge. */
  public long copied() {
    return counters.copied.get();
  }

  /** Entries this bridge found already stored (by another bridge, or by itself before a retry). */
  public long alreadyCopied() {
    return counters.alreadyCopied.get();
  }

  /**
   * Reads of entries {@link LegacyMirror} wrote, skipped (an entry read again after a failure
   * counts again).
   */
  public long mirroredSkipped() {
    return counters.mirroredSkipped.get();
  }

  /** Entries the old release could not have written (logged and skipped). */
  public long malformed() {
    return counters.malformed.get();
  }

  /**
   * Partitions found at start whose checkpointed entry had been trimmed, so entries after it may
   * have been trimmed before any bridge copied them (each logged as an error): old processes wrote
   * while no bridge ran for longer than the retention.
   */
  public long trimmedBeforeCopy() {
    return counters.trimmedBeforeCopy.get();
  }

  /** Failed reads or copies, each followed by a retry from the last position. */
  public long failures() {
    return counters.failures.get();
  }

  /** Stops the read loops and closes the bridge's own connections; blocks until they are closed. */
  @Override
  public void close() {
    closed = true;
    readers.close();
    LOG.info(
        "upgrade: bridge stopped; copied {}, already copied {}, failures {}",
        copied(),
        alreadyCopied(),
        failures());
  }

  boolean closed() {
    return closed;
  }

  EventLog rooms() {
    return rooms;
  }

  RedisConnections redis() {
    return redis;
  }

  PartitionLayout layout() {
    return layout;
  }

  /**
   * Runs {@code retry} after {@code wait} (a read loop's backoff after a failure) on the readers'
   * client scheduler, not {@code CompletableFuture.delayedExecutor}, which would start a thread per
   * retry on a 2-core machine. Dropped once the bridge is closed.
   */
  void retryAfter(Duration wait, Runnable retry) {
    readers.schedule(wait, retry);
  }

  TailConnections readers() {
    return readers;
  }

  Counters counters() {
    return counters;
  }

  /** Moves a partition's shared checkpoint forward (never back) to {@code streamId}. */
  CompletionStage<Void> checkpoint(int partition, String streamId) {
    return redis
        .call(
            "bridge checkpoint",
            c ->
                CHECKPOINT.<Long>run(
                    c,
                    ScriptOutputType.INTEGER,
                    new String[] {layout.bridgedKey(partition)},
                    streamId,
                    Long.toString(CHECKPOINT_TTL.toSeconds())))
        .thenApply(moved -> null);
  }

  /** What a bridge counted; shared by its tails. */
  static final class Counters {
    final AtomicLong copied = new AtomicLong();
    final AtomicLong alreadyCopied = new AtomicLong();
    final AtomicLong mirroredSkipped = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong trimmedBeforeCopy = new AtomicLong();
  }
}
