package dev.relay.gateway.stream;

import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.TruncatedPartition;
import dev.relay.engine.memory.MemoryEventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MemoryEventLog} with the faults of a Redis (Cluster) that the test scripts: the store
 * down, partitions unreadable (their master down), checks of positions failing (at once or slowly),
 * partitions found truncated and moved to a new epoch. A slow check steps {@link #nanoTime} by a
 * second instead of taking one. Everything not scripted is the memory log's behaviour.
 */
final class ScriptedEventLog implements EventLog {

  final MemoryEventLog memory;

  /** Every read and check fails at once, as while Redis is unreachable. */
  volatile boolean down;

  /** Partitions reported in {@link ReadBatch#unreadable()}, with none of their entries. */
  final Set<Integer> unreadable = ConcurrentHashMap.newKeySet();

  /** Partitions whose positions cannot be checked: a check that includes one fails. */
  final Set<Integer> uncheckable = ConcurrentHashMap.newKeySet();

  /** Whether failing checks fail slowly. */
  volatile boolean slowChecks;

  /**
   * Partitions the next successful check that includes them finds truncated. The check moves such a
   * partition to the epoch {@code moved<partition>}, which later reads of it carry.
   */
  final Set<Integer> truncate = ConcurrentHashMap.newKeySet();

  /** Epochs that reads report instead of the memory log's, per partition. */
  final Map<Integer, String> epochs = new ConcurrentHashMap<>();

  /** The arguments of every check that was answered. */
  final List<Map<Integer, EventId>> checked = new CopyOnWriteArrayList<>();

  final AtomicInteger failedChecks = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private volatile CompletableFuture<ReadBatch> pending = new CompletableFuture<>();

  ScriptedEventLog(MemoryEventLog memory) {
    this.memory = memory;
  }

  long nanoTime() {
    return nanos.get();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  /** Fails the read in flight, as a dropped connection does. */
  void failPendingRead() {
    pending.completeExceptionally(unavailable());
  }

  @Override
  public CompletionStage<ReadBatch> read(
      StreamPositions after, int maxPerPartition, Duration block) {
    reads.incrementAndGet();
    if (down) {
      return CompletableFuture.failedFuture(unavailable());
    }
    Set<Integer> hidden = Set.copyOf(unreadable);
    StreamPositions from = after;
    for (int p : hidden) {
      from = from.with(p, tail(p)); // wait for the others' entries, as a cluster read does
    }
    CompletableFuture<ReadBatch> read = new CompletableFuture<>();
    pending = read;
    memory
        .read(from, maxPerPartition, block)
        .whenComplete(
            (batch, failure) -> {
              if (failure != null) {
                read.completeExceptionally(failure);
              } else {
                Set<Integer> down = new TreeSet<>(hidden); // and those that went down meanwhile
                down.addAll(unreadable);
                read.complete(script(batch, after, down));
              }
            });
    return read;
  }

  private ReadBatch script(ReadBatch batch, StreamPositions after, Set<Integer> hidden) {
    List<StoredEvent> events = new ArrayList<>();
    for (StoredEvent e : batch.events()) {
      if (!hidden.contains(e.partition())) {
        String epoch = epochs.get(e.partition());
        events.add(epoch == null ? e : withEpoch(e, epoch));
      }
    }
    StreamPositions next = batch.next();
    Map<Integer, String> seen = new HashMap<>(batch.epochs());
    for (int p : hidden) {
      next = next.with(p, after.get(p));
      seen.remove(p);
    }
    epochs.forEach((p, epoch) -> seen.computeIfPresent(p, (k, v) -> epoch));
    return new ReadBatch(events, next, seen, hidden);
  }

  private static StoredEvent withEpoch(StoredEvent e, String epoch) {
    EventId id = new EventId(e.id().millis(), e.id().sequence(), epoch);
    return new StoredEvent(
        e.partition(),
        id,
        e.room(),
        e.type(),
        e.volatileEvent(),
        e.envelopeJson(),
        e.traceparent());
  }

  @Override
  public CompletionStage<List<TruncatedPartition>> verifyPositions(Map<Integer, EventId> lastRead) {
    if (down || !Collections.disjoint(lastRead.keySet(), uncheckable)) {
      failedChecks.incrementAndGet();
      if (slowChecks) {
        advance(Duration.ofSeconds(1));
      }
      return CompletableFuture.failedFuture(unavailable());
    }
    checked.add(Map.copyOf(lastRead));
    List<TruncatedPartition> found = new ArrayList<>();
    for (int p : new TreeSet<>(lastRead.keySet())) {
      if (truncate.remove(p)) {
        String epoch = "moved" + p;
        epochs.put(p, epoch);
        found.add(new TruncatedPartition(p, epoch, tail(p)));
      }
    }
    return memory.verifyPositions(lastRead).thenApply(none -> found);
  }

  private String tail(int partition) {
    return memory.tail().toCompletableFuture().join().get(partition);
  }

  private static EngineUnavailableException unavailable() {
    return new EngineUnavailableException("scripted outage", null);
  }

  @Override
  public CompletionStage<Appended> append(EventDraft draft) {
    return memory.append(draft);
  }

  @Override
  public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
    return memory.appendAll(drafts);
  }

  @Override
  public CompletionStage<StreamPositions> tail() {
    return memory.tail();
  }

  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    return memory.replay(room, since, maxEvents);
  }

  @Override
  public CompletionStage<Void> ping() {
    return memory.ping();
  }

  @Override
  public int partitions() {
    return memory.partitions();
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Duration retention() {
    return memory.retention();
  }

  @Override
  public void close() {
    memory.close();
  }
}
