package dev.relay.engine.memory;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.Replay;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.TruncatedPartition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link EventLog} in one process, for dev mode and unit tests, with the semantics of {@link
 * dev.relay.engine.redis.RedisEventLog}: the same partitioning ({@code crc32(room) mod P}), ids
 * {@code <millis>-<sequence>} with a random epoch per partition (a restart is a new life, so old
 * ids answer {@code EPOCH_CHANGED}), the idempotency window, retention trimming on append, and the
 * same replay proof rules. Nothing survives the process.
 *
 * <p>Locking: one monitor, {@code lock}, guards every partition, the set of waiting reads and the
 * closed flag. It is held only for in-memory work and never while a future is completed, so
 * callbacks cannot run under it or re-enter it. Appends complete on the caller's thread. A read
 * with nothing to return registers a waiter instead of holding a thread: the append that gives it
 * entries removes it under the lock, and the single daemon thread {@code relay-memory-log}
 * completes it, as it does when the waiter's {@code block} timer fires. Callbacks of waiting reads
 * therefore run on that thread and should hand heavy work elsewhere.
 */
public final class MemoryEventLog implements EventLog {

  private final Object lock = new Object();
  private final RedisKeyLayout layout;
  private final MemoryPartition[] partitions;
  private final Duration retention;
  private final Duration idempotencyWindow;
  private final int replayScanLimit;
  private final ScheduledThreadPoolExecutor notifier;

  /** Guarded by {@code lock}. */
  private final Set<Waiter> waiters = new LinkedHashSet<>();

  /** Guarded by {@code lock}. */
  private boolean closed;

  /** P = 16, retention 5 minutes, idempotency window 24 hours, replay scan limit 50,000. */
  public MemoryEventLog() {
    this(RedisKeyLayout.DEFAULT_PARTITIONS, Duration.ofMinutes(5));
  }

  public MemoryEventLog(int partitions, Duration retention) {
    this(partitions, retention, Duration.ofHours(24), 50_000);
  }

  public MemoryEventLog(
      int partitions, Duration retention, Duration idempotencyWindow, int replayScanLimit) {
    if (retention.isNegative() || retention.isZero() || idempotencyWindow.isNegative()) {
      throw new IllegalArgumentException("retention and idempotency window must be positive");
    }
    if (replayScanLimit < 1) {
      throw new IllegalArgumentException("replayScanLimit must be positive");
    }
    this.layout = new RedisKeyLayout(partitions);
    this.partitions = new MemoryPartition[partitions];
    for (int p = 0; p < partitions; p++) {
      this.partitions[p] = new MemoryPartition();
    }
    this.retention = retention;
    this.idempotencyWindow = idempotencyWindow;
    this.replayScanLimit = replayScanLimit;
    this.notifier =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "relay-memory-log");
              thread.setDaemon(true);
              return thread;
            });
    notifier.setRemoveOnCancelPolicy(true);
  }

  @Override
  public CompletionStage<Appended> append(EventDraft draft) {
    return appendAll(List.of(draft)).thenApply(all -> all.get(0));
  }

  @Override
  public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
    List<Appended> appended = new ArrayList<>(drafts.size());
    List<Delivery> ready;
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      for (EventDraft draft : drafts) {
        appended.add(appendLocked(draft));
      }
      ready = collectReadyLocked();
    }
    deliver(ready);
    return CompletableFuture.completedFuture(List.copyOf(appended));
  }

  @Override
  public CompletionStage<StreamPositions> tail() {
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      String[] ids = new String[partitions.length];
      for (int p = 0; p < ids.length; p++) {
        ids[p] = partitions[p].lastGenerated().streamId();
      }
      return CompletableFuture.completedFuture(StreamPositions.of(ids));
    }
  }

  @Override
  public CompletionStage<ReadBatch> read(
      StreamPositions after, int maxPerPartition, Duration block) {
    if (after.partitions() != partitions.length || maxPerPartition < 1 || block.isNegative()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "read needs one position per partition (" + partitions.length + "), max >= 1"));
    }
    Waiter waiter = new Waiter(after, maxPerPartition);
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      ReadBatch batch = collectLocked(after, maxPerPartition);
      if (!batch.isEmpty() || block.isZero()) {
        return CompletableFuture.completedFuture(batch);
      }
      waiters.add(waiter);
      waiter.timeout =
          notifier.schedule(() -> expire(waiter), block.toNanos(), TimeUnit.NANOSECONDS);
    }
    waiter.future.whenComplete(
        (batch, failure) -> {
          if (failure != null) {
            forget(waiter);
          }
        });
    return waiter.future;
  }

  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      return CompletableFuture.completedFuture(replayLocked(room, since, maxEvents));
    }
  }

  /**
   * Always empty: entries leave a memory log only by retention trimming, and a restart of the
   * process is a new epoch in every partition.
   */
  @Override
  public CompletionStage<List<TruncatedPartition>> verifyPositions(Map<Integer, EventId> lastRead) {
    synchronized (lock) {
      return closed ? closedFailure() : CompletableFuture.completedFuture(List.of());
    }
  }

  @Override
  public CompletionStage<Void> ping() {
    synchronized (lock) {
      return closed ? closedFailure() : CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public int partitions() {
    return partitions.length;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Duration retention() {
    return retention;
  }

  /** Fails waiting reads and every later call with {@link EngineUnavailableException}. */
  @Override
  public void close() {
    List<Waiter> pending;
    synchronized (lock) {
      closed = true;
      pending = new ArrayList<>(waiters);
      waiters.clear();
    }
    notifier.shutdownNow();
    pending.forEach(w -> w.future.completeExceptionally(unavailable()));
  }

  private Appended appendLocked(EventDraft draft) {
    long now = System.currentTimeMillis();
    int index = layout.partitionOf(draft.room());
    MemoryPartition partition = partitions[index];
    String nonceKey = draft.nonce() == null ? null : draft.room() + '\u0000' + draft.nonce();
    if (nonceKey != null) {
      EventId seen = partition.seenNonce(nonceKey, now);
      if (seen != null) {
        return new Appended(seen, draft.room(), true, null);
      }
    }
    partition.trim(now - retention.toMillis());
    EventId id = partition.nextId(now);
    String stored =
        EnvelopeCodec.encodeWithoutId(
            draft.room(),
            draft.type(),
            draft.payloadJson(),
            draft.issuedAt(),
            Instant.ofEpochMilli(now),
            draft.nonce(),
            draft.actor());
    String envelope = EnvelopeCodec.withId(stored, id.toString());
    partition.add(
        new StoredEvent(
            index,
            id,
            draft.room(),
            draft.type(),
            EventType.isVolatile(draft.type()),
            envelope,
            draft.traceparent()));
    if (nonceKey != null) {
      partition.rememberNonce(nonceKey, id, now + idempotencyWindow.toMillis());
    }
    return new Appended(id, draft.room(), false, envelope);
  }

  private Replay replayLocked(String room, EventId since, int maxEvents) {
    MemoryPartition partition = partitions[layout.partitionOf(room)];
    if (!partition.epoch.equals(since.epoch())) {
      return Replay.refused(Outcome.EPOCH_CHANGED);
    }
    int cmp = since.compareTo(partition.lastGenerated());
    if (cmp > 0) {
      return Replay.refused(Outcome.UNKNOWN_ID);
    }
    if (cmp == 0) {
      return Replay.complete(List.of());
    }
    StoredEvent first = partition.first();
    if (first == null || first.id().compareTo(since) > 0) {
      return Replay.refused(Outcome.TRIMMED);
    }
    List<StoredEvent> events = new ArrayList<>();
    int from = partition.indexAfter(since);
    for (int i = from; i < partition.size(); i++) {
      if (i - from >= replayScanLimit) {
        return Replay.refused(Outcome.TOO_MANY);
      }
      StoredEvent event = partition.get(i);
      if (event.room().equals(room) && !event.volatileEvent()) {
        events.add(event);
        if (events.size() > maxEvents) {
          return Replay.refused(Outcome.TOO_MANY);
        }
      }
    }
    return Replay.complete(events);
  }

  private ReadBatch collectLocked(StreamPositions after, int max) {
    List<StoredEvent> events = new ArrayList<>();
    Map<Integer, String> epochs = new HashMap<>();
    StreamPositions next = after;
    for (int p = 0; p < partitions.length; p++) {
      MemoryPartition partition = partitions[p];
      List<StoredEvent> found =
          partition.after(EventId.ofStreamId(after.get(p), partition.epoch), max);
      if (!found.isEmpty()) {
        events.addAll(found);
        next = next.with(p, found.get(found.size() - 1).id().streamId());
        epochs.put(p, partition.epoch);
      }
    }
    return new ReadBatch(List.copyOf(events), next, Map.copyOf(epochs));
  }

  private List<Delivery> collectReadyLocked() {
    List<Delivery> ready = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      ReadBatch batch = collectLocked(waiter.after, waiter.max);
      if (!batch.isEmpty()) {
        it.remove();
        ready.add(new Delivery(waiter, batch));
      }
    }
    return ready;
  }

  private void deliver(List<Delivery> ready) {
    if (ready.isEmpty()) {
      return;
    }
    Runnable complete =
        () ->
            ready.forEach(
                d -> {
                  d.waiter.timeout.cancel(false);
                  d.waiter.future.complete(d.batch);
                });
    try {
      notifier.execute(complete);
    } catch (RejectedExecutionException closedMeanwhile) {
      complete.run();
    }
  }

  private void expire(Waiter waiter) {
    boolean removed;
    synchronized (lock) {
      removed = waiters.remove(waiter);
    }
    if (removed) {
      waiter.future.complete(new ReadBatch(List.of(), waiter.after, Map.of()));
    }
  }

  private void forget(Waiter waiter) {
    synchronized (lock) {
      waiters.remove(waiter);
    }
    waiter.timeout.cancel(false);
  }

  private static <T> CompletableFuture<T> closedFailure() {
    return CompletableFuture.failedFuture(unavailable());
  }

  private static EngineUnavailableException unavailable() {
    return new EngineUnavailableException("memory event log is closed", null);
  }

  /** A read waiting for entries; {@code timeout} is set under the lock before it is visible. */
  private static final class Waiter {
    final StreamPositions after;
    final int max;
    final CompletableFuture<ReadBatch> future = new CompletableFuture<>();
    ScheduledFuture<?> timeout;

    Waiter(StreamPositions after, int max) {
      this.after = after;
      this.max = max;
    }
  }

  private record Delivery(Waiter waiter, ReadBatch batch) {}
}
