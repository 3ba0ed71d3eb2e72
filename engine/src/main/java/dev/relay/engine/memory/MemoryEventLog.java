package dev.relay.engine.memory;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.feed.LiveSink;
import dev.relay.engine.feed.LiveSource;
import dev.relay.engine.feed.RoomFeed;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.MemoryRateLimiter;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.stream.MessageLimits;
import dev.relay.engine.stream.MessagePart;
import dev.relay.engine.stream.OpenMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link EventLog} in one process, for dev mode and unit tests, with the model and semantics of
 * {@link dev.relay.engine.redis.RedisEventLog}: one stream per room ({@link MemoryRoom}) with ids
 * {@code <millis>-<sequence>} and a random epoch per life (a restart of the process is a new life,
 * so old ids answer {@code EPOCH_CHANGED}), the idempotency window, trimming by retention and
 * length on append, idle rooms forgotten after retention + 10 minutes, and the same replay proof
 * rules, and the rooms' publish buckets (a {@link MemoryRateLimiter} keyed by room, taken under the
 * lock in the same step as the append). Feeds are {@link RoomFeed}s over an in-process source that
 * never loses a message.
 *
 * <p>Locking: one monitor, {@code lock}, guards every room, the subscriptions and the closed flag.
 * It is held only for in-memory work. Live messages are handed to the feeds' sinks under the lock,
 * which keeps each room's messages in append order; a sink only queues them (see {@link LiveSink}),
 * so no callback runs under the lock. Appends complete on the caller's thread.
 */
public final class MemoryEventLog implements EventLog {

  /** How long an idle room outlives the retention before it is forgotten. */
  static final Duration IDLE_GRACE = Duration.ofMinutes(10);

  private final Object lock = new Object();
  private final Duration retention;
  private final Duration idempotencyWindow;
  private final int maxRoomEvents;
  private final int repairMax;
  private final MessageLimits messageLimits;

  /** The rooms' publish buckets; its own monitor, taken inside {@code lock}, never the reverse. */
  private final MemoryRateLimiter roomTokens = new MemoryRateLimiter();

  /** Guarded by {@code lock}. */
  private final Map<String, MemoryRoom> rooms = new HashMap<>();

  /** Guarded by {@code lock}: every open source with the rooms it is subscribed to. */
  private final List<Source> sources = new CopyOnWriteArrayList<>();

  /** Guarded by {@code lock}. */
  private boolean closed;

  private long nextSweepMillis;

  /** Retention 5 minutes, idempotency window 24 hours, 10,000 events per room. */
  public MemoryEventLog() {
    this(Duration.ofMinutes(5));
  }

  public MemoryEventLog(Duration retention) {
    this(retention, Duration.ofHours(24), 10_000, 10_000);
  }

  /**
   * @param maxRoomEvents the most events a room keeps (older ones are trimmed first)
   * @param repairMax the most events a feed reads to repair a gap (never needed in memory, kept for
   *     symmetry with Redis)
   */
  public MemoryEventLog(
      Duration retention, Duration idempotencyWindow, int maxRoomEvents, int repairMax) {
    this(retention, idempotencyWindow, maxRoomEvents, repairMax, MessageLimits.DEFAULTS);
  }

  /** As above, with other streamed-message bounds. */
  public MemoryEventLog(
      Duration retention,
      Duration idempotencyWindow,
      int maxRoomEvents,
      int repairMax,
      MessageLimits messageLimits) {
    this.messageLimits = messageLimits;
    if (retention.isNegative() || retention.isZero() || idempotencyWindow.isNegative()) {
      throw new IllegalArgumentException("retention and idempotency window must be positive");
    }
    if (maxRoomEvents < 1 || repairMax < 1) {
      throw new IllegalArgumentException("maxRoomEvents and repairMax must be positive");
    }
    this.retention = retention;
    this.idempotencyWindow = idempotencyWindow;
    this.maxRoomEvents = maxRoomEvents;
    this.repairMax = repairMax;
  }

  @Override
  public CompletionStage<Appended> append(EventDraft draft) {
    return appendAll(List.of(draft)).thenApply(all -> all.get(0));
  }

  @Override
  public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
    List<Appended> appended = new ArrayList<>(drafts.size());
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      long now = System.currentTimeMillis();
      sweepLocked(now);
      for (EventDraft draft : drafts) {
        appended.add(appendLocked(draft, now));
      }
    }
    return CompletableFuture.completedFuture(List.copyOf(appended));
  }

  /** The bucket {@link EventDraft#roomLimit()} appends take from; completes at once. */
  @Override
  public CompletionStage<RateDecision> takeRoomToken(String room, Limit limit) {
    return roomTokens.tryAcquire(room, limit, 1);
  }

  @Override
  public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
    return read(room, since, maxEvents, false);
  }

  @Override
  public CompletionStage<History> history(String room, int limit, EventId before) {
    if (limit < 1 || limit > HISTORY_MAX) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("limit " + limit));
    }
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      MemoryRoom r = rooms.get(room);
      long minMillis = System.currentTimeMillis() - retention.toMillis();
      return CompletableFuture.completedFuture(
          r == null ? History.empty() : r.history(limit, before, minMillis));
    }
  }

  @Override
  public CompletionStage<OpenMessages> openMessages(String room) {
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      MemoryRoom r = rooms.get(room);
      long now = System.currentTimeMillis();
      return CompletableFuture.completedFuture(
          r == null
              ? OpenMessages.none()
              : new OpenMessages(r.last(), r.messages.snapshot(now, roomTtlMillis())));
    }
  }

  /** How long an open message outlives its last delta: the room's idle lifetime, as in Redis. */
  private long roomTtlMillis() {
    return retention.plus(IDLE_GRACE).toMillis();
  }

  @Override
  public Feed openFeed(FeedListener listener) {
    return new RoomFeed(new Source(), listener, repairMax, null);
  }

  @Override
  public CompletionStage<Void> ping() {
    synchronized (lock) {
      return closed ? closedFailure() : CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Duration retention() {
    return retention;
  }

  /** Fails every later call with {@link EngineUnavailableException}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private Appended appendLocked(EventDraft draft, long now) {
    String room = draft.room();
    MemoryRoom r = rooms.get(room);
    if (r != null && draft.nonce() != null) {
      EventId seen = r.seenNonce(draft.nonce(), now);
      if (seen != null) {
        return new Appended(seen, room, true, null);
      }
    }
    if (draft.roomLimit() != null) {
      RateDecision token = takeRoomToken(room, draft.roomLimit()).toCompletableFuture().join();
      if (!token.allowed()) {
        return Appended.rateLimited(room, token.retryAfterSeconds());
      }
    }
    if (r == null) {
      r = new MemoryRoom(now);
      rooms.put(room, r);
    }
    MessagePart part = MessagePart.of(draft).orElse(null);
    if (part != null) {
      MemoryMessages.Check check = r.messages.check(part, now, roomTtlMillis(), messageLimits);
      if (check.rejected() != null) {
        return Appended.rejected(room, check.rejected());
      }
      if (check.duplicateOf() != null) {
        return new Appended(check.duplicateOf(), room, true, null);
      }
    }
    EventId previous = r.last();
    EventId id = r.nextId(now);
    String stored =
        EnvelopeCodec.encodeWithoutId(
            room,
            draft.type(),
            draft.payloadJson(),
            draft.issuedAt(),
            Instant.ofEpochMilli(now),
            draft.nonce(),
            draft.actor());
    String envelope = EnvelopeCodec.withId(stored, id.toString());
    StoredEvent event =
        new StoredEvent(
            id,
            room,
            draft.type(),
            EventType.isVolatile(draft.type()),
            envelope,
            draft.traceparent());
    r.add(event, now - retention.toMillis(), maxRoomEvents);
    if (draft.nonce() != null) {
      r.rememberNonce(draft.nonce(), id, now + idempotencyWindow.toMillis());
    }
    if (part != null) {
      r.messages.apply(part, id, now, roomTtlMillis());
    }
    for (Source source : sources) {
      if (source.rooms.contains(room)) {
        source.sink.message(event, previous.streamId());
      }
    }
    return new Appended(id, room, false, envelope);
  }

  private CompletionStage<Replay> read(String room, EventId after, int max, boolean withVolatile) {
    synchronized (lock) {
      if (closed) {
        return closedFailure();
      }
      MemoryRoom r = rooms.get(room);
      Replay answer =
          r == null
              ? Replay.refused(Replay.Outcome.EPOCH_CHANGED)
              : r.read(after, max, withVolatile);
      return CompletableFuture.completedFuture(answer);
    }
  }

  /** Forgets rooms idle for longer than retention + {@link #IDLE_GRACE}, at most once a minute. */
  private void sweepLocked(long now) {
    if (now < nextSweepMillis) {
      return;
    }
    nextSweepMillis = now + 60_000;
    long idleBefore = now - retention.plus(IDLE_GRACE).toMillis();
    rooms
        .entrySet()
        .removeIf(
            e ->
                e.getValue().touchedMillis < idleBefore
                    && sources.stream().noneMatch(s -> s.rooms.contains(e.getKey())));
  }

  private static <T> CompletableFuture<T> closedFailure() {
    return CompletableFuture.failedFuture(
        new EngineUnavailableException("memory event log is closed", null));
  }

  /** The in-process live source of one feed: subscriptions are immediate and lossless. */
  private final class Source implements LiveSource {
    private LiveSink sink;

    /** Guarded by {@code lock}. */
    private final Set<String> rooms = new HashSet<>();

    @Override
    public void start(LiveSink sink) {
      this.sink = sink;
      synchronized (lock) {
        sources.add(this);
      }
    }

    @Override
    public void subscribe(String room) {
      synchronized (lock) {
        if (closed) {
          sink.subscribeFailed(room, new EngineUnavailableException("log closed", null));
          return;
        }
        rooms.add(room);
        sink.subscribed(room);
      }
    }

    @Override
    public void unsubscribe(String room) {
      synchronized (lock) {
        rooms.remove(room);
      }
    }

    @Override
    public CompletionStage<EventId> head(String room) {
      synchronized (lock) {
        if (closed) {
          return closedFailure();
        }
        long now = System.currentTimeMillis();
        MemoryRoom r = MemoryEventLog.this.rooms.computeIfAbsent(room, name -> new MemoryRoom(now));
        r.touchedMillis = Math.max(r.touchedMillis, now);
        return CompletableFuture.completedFuture(r.last());
      }
    }

    @Override
    public CompletionStage<Replay> read(String room, EventId after, int max, boolean markLoss) {
      return MemoryEventLog.this.read(room, after, max, true);
    }

    @Override
    public void close() {
      synchronized (lock) {
        sources.remove(this);
        rooms.clear();
      }
    }
  }
}
