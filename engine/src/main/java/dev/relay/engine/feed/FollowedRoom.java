package dev.relay.engine.feed;

import dev.relay.contracts.EventId;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one room a {@link RoomFeed} follows. Confined to the feed's thread.
 *
 * <p>Messages that arrive while the room is not live are buffered, at most {@link #MAX_PENDING};
 * past that they are dropped and the room is repaired from the stream once it is live again, so an
 * overflow costs a read, never an event.
 */
final class FollowedRoom {

  /** Logs under the feed's name: operators look for a feed's losses there. */
  private static final Logger LOG = LoggerFactory.getLogger(RoomFeed.class);

  /** Most live messages held while a room starts or is repaired. */
  static final int MAX_PENDING = 10_000;

  enum State {
    /** Subscription requested, not active yet. */
    SUBSCRIBING,
    /** Subscribed; reading the head. */
    STARTING,
    /** Delivering messages as they come. */
    LIVE,
    /** Reading the entries after the position from the stream. */
    REPAIRING,
    /** Messages may have been lost; waiting for the subscription to be active again. */
    INTERRUPTED
  }

  record Pending(StoredEvent event, String previous) {}

  final String room;
  final CompletableFuture<EventId> started = new CompletableFuture<>();
  final ArrayDeque<Pending> pending = new ArrayDeque<>();
  State state = State.SUBSCRIBING;

  /** The id of the last event delivered, or the start position; null before the start. */
  EventId position;

  /** Bumped whenever a read in flight must be ignored when it answers. */
  int generation;

  boolean overflowed;
  long backoffMillis;

  /**
   * Epochs this room left after a lost position, newest last (at most {@link #MAX_LEFT}): messages
   * of these lives that were still in flight are stale, not a new change of epoch.
   */
  final ArrayDeque<String> left = new ArrayDeque<>();

  static final int MAX_LEFT = 4;

  FollowedRoom(String room) {
    this.room = room;
  }

  /** Remembers that the room left {@code epoch}. */
  void leave(String epoch) {
    if (left.size() == MAX_LEFT) {
      left.removeFirst();
    }
    left.addLast(epoch);
  }

  /**
   * Moves the position to {@code event} and hands it to {@code listener}. A listener that throws is
   * logged; the event counts as delivered.
   */
  void deliver(StoredEvent event, FeedListener listener) {
    position = event.id();
    try {
      listener.event(event);
    } catch (RuntimeException e) {
      LOG.error("feed listener failed on an event of {}", room, e);
    }
  }

  /**
   * The position is lost: the room goes on after {@code resumeAfter} (remembering the life it left,
   * if it changes lives) and {@code listener} is told. A listener that throws is logged.
   */
  void lose(EventId resumeAfter, String reason, FeedListener listener) {
    LOG.warn(
        "room {}: position {} lost ({}), going on after {}", room, position, reason, resumeAfter);
    if (position != null && !position.epoch().equals(resumeAfter.epoch())) {
      leave(position.epoch());
      left.remove(resumeAfter.epoch());
    }
    position = resumeAfter;
    try {
      listener.positionLost(room, resumeAfter, reason);
    } catch (RuntimeException e) {
      LOG.error("feed listener failed on positionLost for {}", room, e);
    }
  }

  void buffer(StoredEvent event, String previous) {
    if (pending.size() >= MAX_PENDING) {
      overflowed = true;
      return;
    }
    pending.add(new Pending(event, previous));
  }

  /** True while this is the room's state and no later read superseded {@code generation}. */
  boolean current(Map<String, FollowedRoom> rooms, int generation) {
    return rooms.get(room) == this && this.generation == generation;
  }
}
