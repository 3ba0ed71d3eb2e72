package dev.relay.engine;

import dev.relay.contracts.EventId;

/** What a {@link Feed} delivers. Called on the feed's thread; implementations must not block. */
public interface FeedListener {

  /** The next event of a followed room: in the room's order, no gap, no duplicate. */
  void event(StoredEvent event);

  /**
   * The feed cannot prove it delivered every event of {@code room} after the last one (or after the
   * room's start position): it goes on with the events after {@code resumeAfter}. Readers that
   * could have missed events must be told (a gateway closes the room's connections, which recover
   * and learn {@code recovered:false} where events are gone).
   *
   * @param reason for logs: {@code epoch_changed}, {@code truncated}, {@code gap}, …
   */
  void positionLost(String room, EventId resumeAfter, String reason);
}
