package dev.relay.gateway.hub;

import dev.relay.contracts.EventId;
import java.util.concurrent.CompletableFuture;

/**
 * One room this gateway follows: its local members and its dispatch position. Changed only inside
 * the hub's per-room atomic step ({@code ConcurrentHashMap.compute}), read by the feed thread.
 *
 * <p>{@link #last} is the id of the last event dispatched in the room (or where the feed goes on
 * after a lost position), null before the first. The feed thread writes it BEFORE it reads {@link
 * #members}; a join writes {@link #members} BEFORE it reads {@link #last}. Both are volatile, so
 * either the dispatch sees the new member or the join sees the dispatched id: a member whose start
 * position is {@code last} receives every event after it.
 */
final class FollowedRoom {

  /** The feed's answer to this room's follow: its start position. */
  final CompletableFuture<EventId> followed;

  volatile RoomMembers members;
  volatile EventId last;

  FollowedRoom(CompletableFuture<EventId> followed, RoomMembers members) {
    this.followed = followed;
    this.members = members;
  }

  /** True when the follow failed: the feed does not follow the room. */
  boolean failed() {
    return followed.isCompletedExceptionally();
  }

  /**
   * The later of two positions of the room; {@code b} when their epochs differ ({@code b} is the
   * feed's newer answer).
   */
  static EventId later(EventId a, EventId b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.epoch().equals(b.epoch()) && a.compareTo(b) > 0 ? a : b;
  }
}
