package dev.relay.engine;

import dev.relay.contracts.EventId;
import java.util.concurrent.CompletionStage;

/**
 * The live events of the rooms a reader follows, and only those (SPEC §13). Opened with {@link
 * EventLog#openFeed}; one per gateway.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #follow} completes with a position P of the room: the listener receives every event
 *       of the room after P, once and in order, and none at or before P — or, when the feed cannot
 *       prove that (a lost Pub/Sub message it could not repair from the stream, a stream lost or
 *       truncated by a Redis failure), {@link FeedListener#positionLost} for the room, after which
 *       the same holds from the position it names.
 *   <li>Following a room already followed completes with the position of the last event delivered
 *       (or the start position if none was): a second reader of the same room joins the same
 *       sequence.
 *   <li>Calls are applied in the order they are made: {@code follow, unfollow, follow} of one room
 *       leaves it followed. After {@link #unfollow}, events of the room may still be delivered
 *       until the unsubscription takes effect; the listener ignores rooms it has no members in.
 *   <li>Listener callbacks run on one feed thread, never concurrently, and must not block.
 * </ul>
 */
public interface Feed extends AutoCloseable {

  /**
   * Starts delivering the room's events; see the class comment. Fails with {@link
   * EngineUnavailableException} when the store cannot be reached (the room is then not followed).
   */
  CompletionStage<EventId> follow(String room);

  /** Stops delivering the room's events. */
  void unfollow(String room);

  /** True while every followed room is subscribed and no connection to the store is down. */
  boolean healthy();

  /** The number of rooms followed. */
  int followedRooms();

  /** Events read from the store since the feed opened: live messages and repair reads. */
  long eventsReceived();

  @Override
  void close();
}
