package dev.relay.engine.upgrade;

import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import dev.relay.engine.redis.RedisLink;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read loop of a {@link PartitionBridge}: a blocking {@code XREAD} over its partitions (all of
 * them on one server, one on a cluster) on a dedicated connection, then the copy of what it read,
 * then the next read. Positions advance only after every entry up to them was stored in its room;
 * after a failure the loop reads again from them after a backoff.
 *
 * <p>Threading: the loop is a chain of callbacks, one step at a time (each starts when the previous
 * completed), so {@code positions}, {@code link}, {@code backoff} and {@code failing} are only
 * touched by one step at a time, with a happens-before edge between steps.
 */
final class PartitionTail {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionTail.class);

  private final PartitionBridge bridge;
  private final int[] partitions;
  private final String[] positions;
  private final Map<String, Integer> indexOfKey = new HashMap<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private CompletableFuture<RedisLink> link;
  private Duration backoff = PartitionBridge.MIN_BACKOFF;
  private boolean failing;

  PartitionTail(PartitionBridge bridge, int[] partitions) {
    this.bridge = bridge;
    this.partitions = partitions.clone();
    this.positions = new String[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      indexOfKey.put(bridge.layout().streamKey(partitions[i]), i);
    }
  }

  /** Takes the starting positions, then runs the loop; completes once the positions are taken. */
  CompletableFuture<Void> start() {
    takePositions();
    return started;
  }

  private void takePositions() {
    if (bridge.closed()) {
      return;
    }
    bridge
        .redis()
        .call(
            "bridge positions",
            c -> {
              List<CompletableFuture<String>> checkpoints = new ArrayList<>();
              List<CompletableFuture<List<StreamMessage<String, String>>>> newest =
                  new ArrayList<>();
              for (int partition : partitions) {
                PartitionLayout layout = bridge.layout();
                checkpoints.add(c.get(layout.bridgedKey(partition)).toCompletableFuture());
                newest.add(
                    c.xrevrange(layout.streamKey(partition), Range.unbounded(), Limit.from(1))
                        .toCompletableFuture());
              }
              List<CompletableFuture<String>> firsts = new ArrayList<>();
              for (int partition : partitions) {
                firsts.add(firstId(c, bridge.layout().streamKey(partition)));
              }
              List<CompletableFuture<?>> all = new ArrayList<>(checkpoints);
              all.addAll(newest);
              all.addAll(firsts);
              return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        String[] start = new String[partitions.length];
                        for (int i = 0; i < start.length; i++) {
                          String checkpoint = checkpoints.get(i).join();
                          warnIfTrimmed(partitions[i], checkpoint, firsts.get(i).join());
                          List<StreamMessage<String, String>> last = newest.get(i).join();
                          start[i] =
                              checkpoint != null
                                  ? checkpoint
                                  : last.isEmpty() ? EventId.STREAM_START : last.get(0).getId();
                        }
                        return start;
                      });
            })
        .thenCompose(this::recordStart)
        .whenComplete(
            (start, failure) -> {
              if (failure != null) {
                failed("taking the starting positions", failure, this::takePositions);
                return;
              }
              System.arraycopy(start, 0, positions, 0, start.length);
              LOG.info(
                  "upgrade: bridge reads partitions {} after {}",
                  partitionList(),
                  String.join(",", start));
              recovered();
              started.complete(null);
              read();
            });
  }

  /** The id of the stream's first entry; null when it has none (or does not exist). */
  private static CompletableFuture<String> firstId(
      RedisClusterAsyncCommands<String, String> c, String key) {
    return c.xrange(key, Range.unbounded(), Limit.from(1))
        .toCompletableFuture()
        .thenApply(first -> first.isEmpty() ? null : first.get(0).getId());
  }

  /**
   * Reports a partition whose checkpointed entry was trimmed away before the bridges read past it:
   * entries the old release wrote after it may have been trimmed uncopied (no bridge ran for longer
   * than the retention), and then the clients of new gateways never received them. Trimming removes
   * a prefix of the stream, so while the checkpointed entry is still there nothing after it was
   * lost. Redis keeps no trace of what trimming removed ({@code max-deleted-entry-id} counts only
   * {@code XDEL}), so this says "may"; the operator must know either way.
   */
  private void warnIfTrimmed(int partition, String checkpoint, String first) {
    if (checkpoint != null && first != null && StreamIdOrder.after(first, checkpoint)) {
      bridge.counters().trimmedBeforeCopy.incrementAndGet();
      LOG.error(
          "upgrade: partition {} may have lost entries after {} (its first entry is now {}) to"
              + " trimming before any bridge copied them; clients of new gateways would not have"
              + " received them. Keep a new publish-api running during the upgrade",
          partition,
          checkpoint,
          first);
    }
  }

  /**
   * Records each starting position as the partition's checkpoint (it only moves forward), so that
   * the checkpoint reaches a partition's newest entry once the bridges are caught up, even for a
   * partition nobody wrote to since: the operator's check before leaving upgrade mode compares
   * them. Entries before the first bridge's start predate every new gateway and need no copy.
   */
  private CompletionStage<String[]> recordStart(String[] start) {
    List<CompletableFuture<Void>> recorded = new ArrayList<>(start.length);
    for (int i = 0; i < start.length; i++) {
      if (!EventId.STREAM_START.equals(start[i])) {
        recorded.add(bridge.checkpoint(partitions[i], start[i]).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new))
        .thenApply(done -> start);
  }

  private void read() {
    if (bridge.closed()) {
      return;
    }
    connection()
        .thenCompose(
            l ->
                l.async()
                    .xread(
                        XReadArgs.Builder.block(PartitionBridge.BLOCK).count(PartitionBridge.BATCH),
                        offsets()))
        .thenCompose(this::copy)
        .whenComplete(
            (done, failure) -> {
              if (failure != null) {
                failed("reading or copying", failure, this::read);
              } else {
                recovered();
                read();
              }
            });
  }

  private CompletionStage<Void> copy(List<StreamMessage<String, String>> messages) {
    if (messages == null || messages.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, CompletableFuture<Void>> byRoom = new LinkedHashMap<>();
    Map<Integer, String> newest = new LinkedHashMap<>();
    PartitionBridge.Counters counters = bridge.counters();
    for (StreamMessage<String, String> message : messages) {
      Integer index = indexOfKey.get(message.getStream());
      if (index == null) {
        continue;
      }
      newest.put(index, message.getId());
      if (LegacyEntry.isMirrored(message.getBody())) {
        counters.mirroredSkipped.incrementAndGet();
        continue;
      }
      LegacyEntry entry = LegacyEntry.parse(message.getId(), message.getBody());
      if (entry == null) {
        counters.malformed.incrementAndGet();
        LOG.warn(
            "upgrade: skipping malformed entry {} of {}", message.getId(), message.getStream());
      } else {
        byRoom.compute(
            entry.draft().room(),
            (room, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                    .thenCompose(
                        ignored ->
                            bridge
                                .rooms()
                                .append(entry.draft())
                                .thenAccept(appended -> count(entry, appended))));
      }
    }
    return CompletableFuture.allOf(byRoom.values().toArray(CompletableFuture[]::new))
        .thenCompose(
            copied -> {
              List<CompletableFuture<Void>> checkpoints = new ArrayList<>(newest.size());
              for (Map.Entry<Integer, String> e : newest.entrySet()) {
                positions[e.getKey()] = e.getValue();
                checkpoints.add(
                    bridge.checkpoint(partitions[e.getKey()], e.getValue()).toCompletableFuture());
              }
              return CompletableFuture.allOf(checkpoints.toArray(CompletableFuture[]::new));
            });
  }

  private void count(LegacyEntry entry, Appended appended) {
    LOG.debug(
        "upgrade: {} of {} is {}{}",
        entry.id(),
        entry.draft().room(),
        appended.id(),
        appended.duplicate() ? " (already copied)" : "");
    if (appended.duplicate()) {
      bridge.counters().alreadyCopied.incrementAndGet();
    } else {
      bridge.counters().copied.incrementAndGet();
    }
  }

  @SuppressWarnings("unchecked")
  private StreamOffset<String>[] offsets() {
    StreamOffset<String>[] offsets = new StreamOffset[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      offsets[i] = StreamOffset.from(bridge.layout().streamKey(partitions[i]), positions[i]);
    }
    return offsets;
  }

  /** The loop's dedicated connection, opened on first use and again after a failed open. */
  private CompletableFuture<RedisLink> connection() {
    if (link == null || link.isCompletedExceptionally()) {
      link = bridge.readers().open();
    }
    return link;
  }

  private void failed(String what, Throwable failure, Runnable retry) {
    if (bridge.closed()) {
      return;
    }
    bridge.counters().failures.incrementAndGet();
    if (!failing) {
      LOG.warn(
          "upgrade: bridge of partitions {} failed {}, retrying from its positions: {}",
          partitionList(),
          what,
          failure.toString());
      failing = true;
    }
    Duration wait = backoff;
    backoff =
        backoff.multipliedBy(2).compareTo(PartitionBridge.MAX_BACKOFF) > 0
            ? PartitionBridge.MAX_BACKOFF
            : backoff.multipliedBy(2);
    bridge.retryAfter(wait, retry);
  }

  private void recovered() {
    backoff = PartitionBridge.MIN_BACKOFF;
    if (failing) {
      failing = false;
      LOG.info("upgrade: bridge of partitions {} works again", partitionList());
    }
  }

  private String partitionList() {
    return partitions.length == 1
        ? Integer.toString(partitions[0])
        : "0.." + (partitions.length - 1);
  }
}
