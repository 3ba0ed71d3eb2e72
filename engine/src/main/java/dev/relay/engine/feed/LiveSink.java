package dev.relay.engine.feed;

import dev.relay.engine.StoredEvent;
import java.util.Collection;

/** The callbacks of a {@link LiveSource}; may be called from any thread, never block. */
public interface LiveSink {

  /**
   * The room's subscription is active (for the first time, or again after an interruption). After
   * the room was unsubscribed and subscribed again, the earlier subscription's confirmation may
   * still arrive, before the new one's: a feed must treat each confirmation as "active from now on"
   * ({@link RoomFeed} reads the head again, or repairs from its position).
   */
  void subscribed(String room);

  /** A subscription attempt for the room failed; the source tries again. */
  void subscribeFailed(String room, Throwable cause);

  /**
   * Messages of these rooms may have been lost (their connection dropped, their slot moved). Each
   * is followed by {@link #subscribed} once its subscription is active again.
   */
  void interrupted(Collection<String> rooms);

  /**
   * One live message: the event and the stream id of the entry before it in its room ({@code 0-0}
   * for the first entry of its epoch).
   */
  void message(StoredEvent event, String previousStreamId);
}
