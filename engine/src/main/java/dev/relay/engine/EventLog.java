package dev.relay.engine;

import dev.relay.contracts.EventId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The shared, partitioned log of events: publish-api appends, every gateway reads every partition,
 * and recovery replays one room. Implementations: {@link dev.relay.engine.redis.RedisEventLog}
 * (production, Redis Streams) and {@link dev.relay.engine.memory.MemoryEventLog} (dev mode, one
 * process).
 *
 * <p>Guarantees, for every implementation:
 *
 * <ul>
 *   <li>An append completes successfully only once the event is stored; then every reader that
 *       reads its partition from an earlier position sees it.
 *   <li>Within a partition, entries are read in append order and ids increase; a room lives in
 *       exactly one partition, so a room's events are totally ordered.
 *   <li>An append with a nonce already used for the same room within the idempotency window stores
 *       nothing and returns the first id with {@code duplicate = true}. The check and the write are
 *       one atomic step, so concurrent duplicates store one entry.
 *   <li>A failed append (e.g. Redis unreachable) stored nothing that a retry with the same nonce
 *       could duplicate.
 * </ul>
 *
 * <p>All methods are thread-safe and never block the caller; {@link #read} completes when entries
 * are available or when {@code block} has elapsed.
 */
public interface EventLog extends AutoCloseable {

  /** Stores one event. Fails with {@link EngineUnavailableException} when the store is down. */
  CompletionStage<Appended> append(EventDraft draft);

  /** Stores several events, each exactly as {@link #append}; results in request order. */
  CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts);

  /**
   * The current end of every partition: reading from these positions returns only events appended
   * afterwards. A new reader starts here.
   */
  CompletionStage<StreamPositions> tail();

  /**
   * Entries after {@code after}, at most {@code maxPerPartition} per partition, waiting up to
   * {@code block} when there are none. Entries of a partition come in append order. An empty batch
   * means the wait elapsed.
   */
  CompletionStage<ReadBatch> read(StreamPositions after, int maxPerPartition, Duration block);

  /**
   * The non-volatile events of {@code room} after {@code since}, in order, at most {@code
   * maxEvents}. The answer is {@link Replay.Outcome#COMPLETE} only when the log can prove that
   * nothing after {@code since} is missing from it (same epoch, nothing trimmed past it, within the
   * bound); otherwise it carries no events.
   */
  CompletionStage<Replay> replay(String room, EventId since, int maxEvents);

  /**
   * Checks that the entry a reader read last in each partition is still stored, for a reader that
   * resumes after a failure: a failover or a restart can lose a stream's newest entries while its
   * epoch stays the same. For every partition whose entry is gone although retention cannot have
   * trimmed it, the log moves the partition to a new epoch, unless that already happened since
   * {@code lastRead}'s epoch (another reader found the loss first): entries appended afterwards
   * carry the new epoch, so every other reader sees the epoch change, and recovery from any id of
   * the old epoch answers {@link Replay.Outcome#EPOCH_CHANGED}.
   *
   * @param lastRead per partition, the id of the last entry the reader read there (stream id and
   *     the epoch it was read in); partitions not in the map are not checked
   * @return the partitions found truncated, in partition order; empty when nothing was lost. Fails
   *     with {@link EngineUnavailableException} when the store cannot be asked about every
   *     partition.
   */
  CompletionStage<List<TruncatedPartition>> verifyPositions(Map<Integer, EventId> lastRead);

  /** Completes when the store answers; fails with {@link EngineUnavailableException} if not. */
  CompletionStage<Void> ping();

  /** The number of partitions (P); the same for every service on one store. */
  int partitions();

  /** A short name for {@code /info}: {@code redis} or {@code memory}. */
  String name();

  /** How long events stay replayable. */
  Duration retention();

  @Override
  void close();
}
