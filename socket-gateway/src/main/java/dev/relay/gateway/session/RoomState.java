package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Per-room state of one connection. Confined to the session's executor (but {@link #start}, which
 * the hub completes on the feed's thread).
 *
 * <p>{@code position} is the id of the last event delivered in the room, or the room's start
 * position (null until the follow answered). It only moves forward within an epoch; a live event of
 * another epoch replaces it (the feed follows the room's newest life). It is what recovery offsets
 * carry and what live deliveries are de-duplicated against: an event at or before it was delivered
 * (or precedes the connection's start in the room).
 *
 * <p>{@code buffer} is non-null while the room is held: its follow has not answered yet, or the
 * answer to the client has not been sent ({@code subscribed}, {@code welcome}, Socket.IO CONNECT),
 * or a {@link Recovery} is reading its replay ({@code recovering}). Live deliveries wait there, in
 * arrival order, until the session releases them.
 *
 * <p>{@code coveredFrom} records what this connection already delivered in the room, so no replay
 * repeats it: after the first live event, every id at or after it ({@code coveredAfterOnly} false);
 * after a complete recovery from {@code since}, every id after it ({@code coveredAfterOnly} true).
 *
 * <p>{@code deltaFloor} is the id a {@link Snapshots snapshot} of the room's open messages was
 * taken at: the {@code message.delta}s at or before it are in the snapshot (or in a completed
 * message), so they are not delivered (null: no snapshot sent).
 *
 * <p>{@code heldUntilMillis} is how long the room stays granted without the connection token's
 * say-so: the expiry of the subscription token it was joined with (0 when the connection token
 * grants it), which a refresh checks; {@code subscriptionJti} is that token's id, kept so revoking
 * it closes the connection. {@code joinedAtMillis} (this gateway's clock) tells a removal from the
 * room (SPEC §11) whether the membership predates it.
 */
final class RoomState {
  /** The hub's answer to the join, until {@link SessionRooms#followed} moved it into position. */
  final String offsetKey;

  CompletableFuture<EventId> start;
  EventId position;
  EventId coveredFrom;
  boolean coveredAfterOnly;
  List<Recovery.Sequenced> buffer;
  boolean recovering;
  long heldUntilMillis;
  String subscriptionJti;
  long joinedAtMillis;
  EventId deltaFloor;
  dev.relay.engine.stream.OpenMessages pendingSnapshot;

  RoomState(String room) {
    this.offsetKey = ResumeOffset.key(room).intern(); // one copy per room, not per connection
  }

  boolean delivered(EventId id) {
    if (coveredFrom == null) {
      return false;
    }
    int order = id.compareTo(coveredFrom);
    return coveredAfterOnly ? order > 0 : order >= 0;
  }

  /** True when {@code id} is at or before {@link #position} in the same epoch. */
  boolean covers(EventId id) {
    return position != null && position.epoch().equals(id.epoch()) && id.compareTo(position) <= 0;
  }

  /** True for a {@code message.delta} that a snapshot sent on this connection already holds. */
  boolean inSnapshot(dev.relay.engine.StoredEvent event) {
    return deltaFloor != null
        && dev.relay.contracts.EventType.MESSAGE_DELTA.equals(event.type())
        && deltaFloor.epoch().equals(event.id().epoch())
        && event.id().compareTo(deltaFloor) <= 0;
  }

  /** Moves the position forward to {@code id} (same epoch, or none yet); never back. */
  void advance(EventId id) {
    if (position == null || (position.epoch().equals(id.epoch()) && id.compareTo(position) > 0)) {
      position = id;
    }
  }

  /** A live event was delivered: it is the position now, whatever the epoch. */
  void deliveredLive(EventId id) {
    position = id;
    if (coveredFrom == null) {
      coveredFrom = id;
      coveredAfterOnly = false;
    }
  }

  void recoveredAfter(EventId since) {
    if (coveredFrom == null || since.compareTo(coveredFrom) < 0) {
      coveredFrom = since;
      coveredAfterOnly = true;
    }
  }
}
