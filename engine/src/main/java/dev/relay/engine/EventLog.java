package dev.relay.engine;

import dev.relay.contracts.EventId;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.stream.OpenMessages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The shared log of events, one stream per room: publish-api appends, a gateway follows only the
 * rooms it has members in ({@link #openFeed}), and recovery replays one room. Implementations:
 * {@link dev.relay.engine.redis.RedisEventLog} (production: a Redis stream per room plus sharded
 * Pub/Sub per room) and {@link dev.relay.engine.memory.MemoryEventLog} (dev mode, one process). See
 * {@code docs/engine.md}.
 *
 * <p>Guarantees, for every implementation:
 *
 * <ul>
 *   <li>An append completes successfully only once the event is stored; every feed following its
 *       room then delivers it (or reports the room's position lost).
 *   <li>A room's events are totally ordered: ids increase in append order within the room's life
 *       (its epoch, the part after the dot of an {@link EventId}). Ids of different rooms are not
 *       comparable.
 *   <li>An append with a nonce already used for the same room within the idempotency window stores
 *       nothing and returns the first id with {@code duplicate = true}. The check and the write are
 *       one atomic step, so concurrent duplicates store one entry.
 *   <li>A failed append (e.g. Redis unreachable) stored nothing that a retry with the same nonce
 *       could duplicate.
 *   <li>A {@code message.delta} or {@code message.completed} (SPEC §12) updates its message's
 *       accumulated text in the same atomic step as its append, or is refused with nothing stored
 *       ({@link Appended#rejected}); see {@code docs/streaming.md} for the seq rules and {@link
 *       dev.relay.engine.stream.MessageLimits} for the bounds.
 *   <li>A draft with a {@link EventDraft#roomLimit() room limit} takes one token from the room's
 *       bucket in the same atomic step as its append (on Redis: inside {@code append.lua}, on the
 *       room's slot), or is refused with {@link Appended#rateLimited} and nothing stored. A nonce
 *       seen before is answered as a duplicate without taking a token (it stores nothing); the
 *       token is taken before the streamed-message rules, so a {@code message.delta} refused by
 *       them has spent it, as when the limit was checked before the append. A failed append may or
 *       may not have taken its token.
 * </ul>
 *
 * <p>All methods are thread-safe and never block the caller.
 */
public interface EventLog extends AutoCloseable {

  /** Stores one event. Fails with {@link EngineUnavailableException} when the store is down. */
  CompletionStage<Appended> append(EventDraft draft);

  /** Stores several events, each exactly as {@link #append}; results in request order. */
  CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts);

  /**
   * Takes one token from the room's publish bucket, the one {@link EventDraft#roomLimit()} appends
   * spend ({@code /v1/events:stream} spends one per stream, SPEC §12). Fails open like {@link
   * dev.relay.engine.ratelimit.RateLimiter}: when the store cannot answer, the token is granted
   * (the appends that follow then fail on their own). Never fails.
   */
  CompletionStage<RateDecision> takeRoomToken(String room, Limit limit);

  /**
   * The non-volatile events of {@code room} after {@code since}, in order, at most {@code
   * maxEvents}. The answer is {@link Replay.Outcome#COMPLETE} only when the log can prove that
   * nothing after {@code since} is missing from it (same epoch, nothing trimmed past it, within the
   * bound); otherwise it carries no events. {@code since} may be a room's start position ({@code
   * 0-0.<epoch>}, as a feed hands out for a room without events): then every event of that epoch is
   * after it.
   */
  CompletionStage<Replay> replay(String room, EventId since, int maxEvents);

  /** The most events one {@link #history} call returns. */
  int HISTORY_MAX = 100;

  /**
   * The newest non-volatile events of {@code room} still in retention, <b>newest first</b>, at most
   * {@code limit} (1 to {@link #HISTORY_MAX}), older than {@code before} when it is given
   * (exclusive; {@code null} for the newest). {@code more} says whether older stored events remain.
   * A {@code before} of another epoch than the room's current one (the room's stream was lost and
   * began a new life, or the id was never issued here) answers {@link History#empty()}: its events
   * are gone. A read only: it never creates a room. It scans at most a bounded number of entries
   * (volatile ones included), so a room full of volatile events answers fewer, with {@code more}.
   */
  CompletionStage<History> history(String room, int limit, EventId before);

  /**
   * The room's open streamed messages (SPEC §12: each {@code message.delta} appended and not yet
   * {@code message.completed}, within retention of its last delta) with their text, read in one
   * atomic step with the room's newest id: see {@link OpenMessages}. A read only.
   */
  CompletionStage<OpenMessages> openMessages(String room);

  /**
   * Opens a feed that delivers the live events of the rooms it follows to {@code listener}. A
   * gateway opens one and follows exactly the rooms it has members in.
   */
  Feed openFeed(FeedListener listener);

  /** Completes when the store answers; fails with {@link EngineUnavailableException} if not. */
  CompletionStage<Void> ping();

  /** A short name for {@code /info}: {@code redis} or {@code memory}. */
  String name();

  /** How long events stay replayable. */
  Duration retention();

  @Override
  void close();
}
