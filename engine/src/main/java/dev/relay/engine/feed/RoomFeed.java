package dev.relay.engine.feed;

import dev.relay.contracts.EventId;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Feed}, over any {@link LiveSource}: it turns live messages that
 * may be lost into a per-room sequence with no gap and no duplicate, or an explicit {@link
 * FeedListener#positionLost}.
 *
 * <p>Per followed room ({@link FollowedRoom}) it keeps the position P of the last event delivered.
 *
 * <ol>
 *   <li><b>Start.</b> Subscribe first; once the subscription is active, read the room's head H
 *       ({@link LiveSource#head}). Messages that arrive meanwhile are buffered. P = H; the follow
 *       completes with H; buffered messages at or before H are dropped (they were stored before the
 *       head was read), the others go through step 2. So no event appended after the follow
 *       completed can be missed, and none before it is delivered.
 *   <li><b>Chain.</b> A live message carries its id and the stream id of the room's previous entry.
 *       At or before P: a duplicate, dropped. Previous = P: delivered, P = its id. Otherwise a
 *       message between was lost: <b>repair</b>.
 *   <li><b>Repair.</b> Read the room's entries after P from the stream ({@link LiveSource#read}
 *       with {@code markLoss}); meanwhile live messages are buffered. A complete answer is
 *       delivered in order, then the buffer goes through step 2. Any other answer (the stream was
 *       lost, truncated, trimmed past P, or holds more than {@code repairMax} entries after P): P =
 *       the current head, {@link FeedListener#positionLost}, then the buffer.
 *   <li><b>Interruptions.</b> When the source reports that messages of a room may have been lost
 *       (its connection dropped, its slot moved), nothing more of the room is delivered until its
 *       subscription is active again; then it is repaired from P as in step 3. An event of another
 *       epoch than P's is a lost position, unless it belongs to a life the room already left after
 *       a lost position (a message still in flight): that one is dropped.
 * </ol>
 *
 * <p>Thread-safety: every state change runs on the feed's one thread ({@link FeedThread}), in the
 * order the calls and callbacks were made; listener callbacks run there too. A failed read is
 * retried with backoff (200 ms doubling to 5 s) while the room stays followed.
 */
public final class RoomFeed implements Feed {

  private static final Logger LOG = LoggerFactory.getLogger(RoomFeed.class);
  private static final long MAX_BACKOFF_MILLIS = 5000;

  private final LiveSource source;
  private final FeedListener listener;
  private final int repairMax;
  private final FeedThread thread;
  private final LongAdder received = new LongAdder();

  /** Confined to {@link #thread}. */
  private final Map<String, FollowedRoom> rooms = new HashMap<>();

  /** Rooms followed but not provably live (starting, interrupted, repairing); feed thread only. */
  private int unsettled;

  private volatile int followed;
  private volatile boolean healthy = true;
  private volatile boolean closed;

  /**
   * @param repairMax the most entries one repair reads; a gap larger than that is a lost position
   * @param shared a single thread to confine the feed to (such as the event loop that reads the
   *     source's connections), or null for a thread of its own
   */
  public RoomFeed(
      LiveSource source, FeedListener listener, int repairMax, ScheduledExecutorService shared) {
    if (repairMax < 1) {
      throw new IllegalArgumentException("repairMax must be positive: " + repairMax);
    }
    this.thread = shared == null ? new FeedThread() : new FeedThread(shared);
    this.source = source;
    this.listener = listener;
    this.repairMax = repairMax;
    source.start(new FeedSink(this, thread));
  }

  @Override
  public CompletionStage<EventId> follow(String room) {
    CompletableFuture<EventId> answer = new CompletableFuture<>();
    run(
        () -> {
          FollowedRoom known = rooms.get(room);
          if (known != null) {
            known.started.whenComplete(
                (start, failure) -> {
                  if (failure != null) {
                    answer.completeExceptionally(failure);
                  } else {
                    run(() -> answer.complete(known.position), answer);
                  }
                });
            return;
          }
          FollowedRoom r = new FollowedRoom(room);
          r.started.whenComplete(
              (start, failure) -> {
                if (failure != null) {
                  answer.completeExceptionally(failure);
                } else {
                  answer.complete(start);
                }
              });
          rooms.put(room, r);
          unsettled++;
          update();
          source.subscribe(room);
        },
        answer);
    return answer;
  }

  @Override
  public void unfollow(String room) {
    run(
        () -> {
          FollowedRoom r = rooms.remove(room);
          if (r == null) {
            return;
          }
          if (r.state != FollowedRoom.State.LIVE) {
            unsettled--;
          }
          r.started.completeExceptionally(new CancellationException("unfollowed " + room));
          update();
          source.unsubscribe(room);
        },
        null);
  }

  @Override
  public boolean healthy() {
    return healthy && !closed;
  }

  @Override
  public int followedRooms() {
    return followed;
  }

  @Override
  public long eventsReceived() {
    return received.sum();
  }

  @Override
  public void close() {
    closed = true;
    thread.close();
    source.close();
  }

  // ---- feed thread (the source's callbacks arrive here through FeedSink) ----

  void subscribed(String room) {
    FollowedRoom r = rooms.get(room);
    if (r == null) {
      return;
    }
    r.backoffMillis = 0;
    switch (r.state) {
      case SUBSCRIBING -> {
        r.state = FollowedRoom.State.STARTING;
        readHead(r, null);
      }
      case INTERRUPTED -> repair(r);
      // A confirmation for a room already starting or live: the first one was of an earlier
      // subscription (the room was unfollowed and followed again while its confirmation was on its
      // way here), so this follow's own subscription is active only from now. Read the head again,
      // or repair from P: what was published in between may have reached no subscriber.
      case STARTING -> readHead(r, null);
      case LIVE -> {
        unsettled++;
        update();
        repair(r);
      }
      case REPAIRING -> repair(r);
    }
  }

  void subscribeFailed(String room, Throwable cause) {
    FollowedRoom r = rooms.get(room);
    if (r == null || r.state != FollowedRoom.State.SUBSCRIBING) {
      return; // a re-subscription after an interruption: the source keeps trying
    }
    rooms.remove(room);
    unsettled--;
    update();
    source.unsubscribe(room);
    r.started.completeExceptionally(unavailable("cannot subscribe to " + room, cause));
  }

  void interrupted(Collection<String> interruptedRooms) {
    for (String room : interruptedRooms) {
      FollowedRoom r = rooms.get(room);
      if (r == null) {
        continue;
      }
      switch (r.state) {
        case LIVE -> {
          r.state = FollowedRoom.State.INTERRUPTED;
          unsettled++;
        }
        case REPAIRING -> {
          r.state = FollowedRoom.State.INTERRUPTED;
          r.generation++; // the repair in flight may have missed messages: repair again later
        }
        case STARTING -> {
          r.state = FollowedRoom.State.SUBSCRIBING; // read the head again once subscribed
          r.generation++;
          r.pending.clear();
        }
        default -> {}
      }
    }
    update();
  }

  void message(StoredEvent event, String previous) {
    received.increment();
    FollowedRoom r = rooms.get(event.room());
    if (r == null) {
      return;
    }
    if (r.state != FollowedRoom.State.LIVE) {
      r.buffer(event, previous);
      return;
    }
    accept(r, event, previous);
  }

  /** Step 2 of the class comment, for a room that is live. */
  private void accept(FollowedRoom r, StoredEvent event, String previous) {
    EventId p = r.position;
    if (!event.id().epoch().equals(p.epoch())
        && p.millis() == 0
        && p.sequence() == 0
        && EventId.STREAM_START.equals(previous)) {
      // Nothing was delivered in P's life, and this is the first entry of the next one (the room's
      // idle keys had expired): nothing can have been missed in between.
      r.deliver(event, listener);
      return;
    }
    if (!event.id().epoch().equals(p.epoch()) && r.left.contains(event.id().epoch())) {
      return; // in flight from a life this room already left: stale
    }
    if (!event.id().epoch().equals(p.epoch())) {
      EventId resume = EventId.ofStreamId(previous, event.id().epoch());
      r.lose(resume, "epoch_changed", listener);
      r.deliver(event, listener);
      return;
    }
    if (event.id().compareTo(p) <= 0) {
      return;
    }
    if (previous.equals(p.streamId())) {
      r.deliver(event, listener);
      return;
    }
    r.buffer(event, previous);
    r.state = FollowedRoom.State.REPAIRING;
    unsettled++;
    update();
    readRange(r);
  }

  private void repair(FollowedRoom r) {
    r.state = FollowedRoom.State.REPAIRING;
    readRange(r);
  }

  private void readRange(FollowedRoom r) {
    int generation = ++r.generation;
    EventId after = r.position;
    source
        .read(r.room, after, repairMax, true)
        .whenComplete(
            (replay, failure) ->
                run(
                    () -> {
                      if (!r.current(rooms, generation)) {
                        return;
                      }
                      if (failure != null) {
                        retry(r, failure, () -> readRange(r));
                      } else {
                        repaired(r, replay);
                      }
                    },
                    null));
  }

  private void repaired(FollowedRoom r, Replay replay) {
    if (!replay.recovered()) {
      readHead(r, replay.outcome().name().toLowerCase(Locale.ROOT));
      return;
    }
    for (StoredEvent event : replay.events()) {
      received.increment();
      if (event.id().compareTo(r.position) > 0) {
        r.deliver(event, listener);
      }
    }
    goLive(r);
  }

  /**
   * Reads the head: for a starting room, its start position; after a failed repair ({@code reason}
   * not null), the position where the room goes on after {@link FeedListener#positionLost}.
   */
  private void readHead(FollowedRoom r, String reason) {
    int generation = ++r.generation;
    source
        .head(r.room)
        .whenComplete(
            (head, failure) ->
                run(
                    () -> {
                      if (!r.current(rooms, generation)) {
                        return;
                      }
                      if (failure != null) {
                        if (reason == null && !r.started.isDone()) {
                          rooms.remove(r.room);
                          unsettled--;
                          update();
                          source.unsubscribe(r.room);
                          r.started.completeExceptionally(
                              unavailable("cannot read the head of " + r.room, failure));
                        } else {
                          retry(r, failure, () -> readHead(r, reason));
                        }
                        return;
                      }
                      if (reason == null) {
                        r.position = head;
                        r.started.complete(head);
                      } else {
                        r.lose(head, reason, listener);
                      }
                      goLive(r);
                    },
                    null));
  }

  private void goLive(FollowedRoom r) {
    if (r.overflowed) {
      r.overflowed = false; // messages were dropped: read them from the stream instead
      r.pending.clear();
      repair(r);
      return;
    }
    r.state = FollowedRoom.State.LIVE;
    r.backoffMillis = 0;
    unsettled--;
    update();
    while (r.state == FollowedRoom.State.LIVE && !r.pending.isEmpty()) {
      FollowedRoom.Pending next = r.pending.poll();
      accept(r, next.event(), next.previous());
    }
  }

  private void retry(FollowedRoom r, Throwable failure, Runnable again) {
    r.backoffMillis =
        r.backoffMillis == 0 ? 200 : Math.min(r.backoffMillis * 2, MAX_BACKOFF_MILLIS);
    LOG.debug(
        "room {}: store read failed, retrying in {} ms: {}", r.room, r.backoffMillis, failure);
    int generation = r.generation;
    thread.schedule(
        () -> {
          if (r.current(rooms, generation)) {
            again.run();
          }
        },
        r.backoffMillis);
  }

  private void update() {
    followed = rooms.size();
    healthy = unsettled == 0;
  }

  private void run(Runnable task, CompletableFuture<?> failOnReject) {
    thread.execute(task, failOnReject);
  }

  private static EngineUnavailableException unavailable(String message, Throwable cause) {
    Throwable root = cause instanceof CompletionException c ? c.getCause() : cause;
    return root instanceof EngineUnavailableException e
        ? e
        : new EngineUnavailableException(message, root);
  }
}
