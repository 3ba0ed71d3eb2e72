package dev.relay.engine.redis;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.StreamPositions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Reads every partition of a Redis Cluster. Each partition stream is in its own slot (usually on
 * another master than its neighbours), and Redis Cluster refuses a command whose keys span slots,
 * so one {@code XREAD} cannot cover them all. A read is:
 *
 * <ol>
 *   <li><b>Sweep</b>: one non-blocking {@code XREAD COUNT max} per partition, pipelined on the
 *       shared command connection (Lettuce sends each to the master owning it). If any partition
 *       has entries, they are the batch: partitions in order, each in append order.
 *   <li><b>Wait</b>, when nothing was found: per partition one {@code XREAD BLOCK COUNT 1} on a
 *       dedicated connection, used only as a wake-up (blocking at most half the command timeout,
 *       then re-armed). When one reports an entry, sweep again and answer with that; when {@code
 *       block} elapses, answer with an empty batch.
 * </ol>
 *
 * <p>A wake-up still blocking when a read answers is kept, one per partition with its position, and
 * reused by the next read from the same position. So a reader loop holds at most P blocking
 * connections, plus briefly the wake-ups of partitions whose position moved on (those answer at
 * once: entries after them exist).
 *
 * <p>Failures: a sweep that reached some partitions answers with their entries (the others are read
 * again next time, from unchanged positions, and the batch names them {@link
 * dev.relay.engine.ReadBatch#unreadable()}). If it found nothing and a partition failed, or a
 * wake-up failed, the read fails with {@link dev.relay.engine.EngineUnavailableException}; the
 * caller retries with backoff, and Lettuce reconnects (to the promoted replica after a failover).
 * Thread-safe.
 */
final class FanOutReader implements PartitionReader {

  private final RedisConnections redis;
  private final RedisKeyLayout layout;
  private final Map<String, Integer> partitionOfKey;
  private final Duration longestWakeup;

  /** The wake-up per partition, or null; guarded by itself. */
  private final Wakeup[] wakeups;

  private record Wakeup(String from, CompletableFuture<Boolean> entries) {}

  private record PartitionRead(List<StreamMessage<String, String>> messages, Throwable failure) {}

  /**
   * @param commandTimeout the connections' command timeout: each wake-up blocks for at most half of
   *     it (and is re-armed while the read waits on), because a cluster's node connections time
   *     commands out after the URL's timeout whatever the blocking time
   */
  FanOutReader(RedisConnections redis, RedisKeyLayout layout, Duration commandTimeout) {
    this.redis = redis;
    this.layout = layout;
    this.longestWakeup = commandTimeout.dividedBy(2);
    this.partitionOfKey = PartitionReader.partitionsByKey(layout);
    this.wakeups = new Wakeup[layout.partitions()];
  }

  @Override
  public CompletionStage<ReadBatch> read(
      StreamPositions after, int maxPerPartition, Duration block) {
    return sweep(after, maxPerPartition)
        .thenCompose(
            batch -> {
              if (!batch.isEmpty() || block.isZero()) {
                return CompletableFuture.completedFuture(batch);
              }
              return waitForEntries(after, block)
                  .thenCompose(
                      woken ->
                          woken
                              ? sweep(after, maxPerPartition)
                              : CompletableFuture.completedFuture(batch));
            });
  }

  private CompletionStage<ReadBatch> sweep(StreamPositions after, int maxPerPartition) {
    return redis.call(
        "read",
        c -> {
          List<CompletableFuture<PartitionRead>> each = new ArrayList<>(layout.partitions());
          for (int p = 0; p < layout.partitions(); p++) {
            StreamOffset<String> offset = StreamOffset.from(layout.streamKey(p), after.get(p));
            each.add(
                c.xread(XReadArgs.Builder.count(maxPerPartition), offset)
                    .toCompletableFuture()
                    .handle(PartitionRead::new));
          }
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(done -> merge(after, each));
        });
  }

  private ReadBatch merge(StreamPositions after, List<CompletableFuture<PartitionRead>> each) {
    List<StreamMessage<String, String>> messages = new ArrayList<>();
    Set<Integer> unreadable = new HashSet<>();
    Throwable failure = null;
    for (int p = 0; p < each.size(); p++) {
      PartitionRead partition = each.get(p).join();
      if (partition.failure() != null) {
        failure = partition.failure();
        unreadable.add(p);
      } else {
        messages.addAll(partition.messages());
      }
    }
    if (messages.isEmpty() && failure != null) {
      throw new CompletionException(redis.failed("read", failure));
    }
    return PartitionReader.toBatch(after, messages, partitionOfKey, unreadable);
  }

  /** True once some partition has an entry after {@code after}; false when {@code block} ends. */
  private CompletableFuture<Boolean> waitForEntries(StreamPositions after, Duration block) {
    CompletableFuture<Boolean> woken = new CompletableFuture<>();
    for (int p = 0; p < layout.partitions(); p++) {
      watch(p, after.get(p), block, woken);
    }
    woken.completeOnTimeout(false, block.toMillis(), TimeUnit.MILLISECONDS);
    return woken;
  }

  /** Follows partition {@code p}'s wake-up until {@code woken} is done, re-arming when it ends. */
  private void watch(int p, String from, Duration block, CompletableFuture<Boolean> woken) {
    if (woken.isDone()) {
      return;
    }
    wakeup(p, from, block)
        .whenComplete(
            (hasEntries, failure) -> {
              if (failure != null) {
                woken.completeExceptionally(redis.failed("read", failure));
              } else if (hasEntries) {
                woken.complete(true);
              } else {
                watch(p, from, block, woken);
              }
            });
  }

  /** The pending wake-up of partition {@code p} from {@code from}, started if there is none. */
  private CompletableFuture<Boolean> wakeup(int p, String from, Duration block) {
    synchronized (wakeups) {
      Wakeup current = wakeups[p];
      if (current != null && current.from().equals(from) && !current.entries().isDone()) {
        return current.entries();
      }
      CompletableFuture<Boolean> started = blockingRead(p, from, block);
      wakeups[p] = new Wakeup(from, started);
      return started;
    }
  }

  private CompletableFuture<Boolean> blockingRead(int p, String from, Duration block) {
    CompletableFuture<Boolean> entries = new CompletableFuture<>();
    Duration wait = block.compareTo(longestWakeup) < 0 ? block : longestWakeup;
    XReadArgs args = XReadArgs.Builder.count(1).block(wait);
    StreamOffset<String> offset = StreamOffset.from(layout.streamKey(p), from);
    redis
        .acquireReader(wait)
        .whenComplete(
            (link, connectFailure) -> {
              if (connectFailure != null) {
                entries.completeExceptionally(connectFailure);
                return;
              }
              link.async()
                  .xread(args, offset)
                  .whenComplete(
                      (messages, failure) -> {
                        redis.release(link, failure == null);
                        if (failure != null) {
                          entries.completeExceptionally(failure);
                        } else {
                          entries.complete(!messages.isEmpty());
                        }
                      });
            });
    return entries;
  }
}
