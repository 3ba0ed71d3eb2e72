package dev.relay.engine.feed;

import dev.relay.engine.StoredEvent;
import java.util.Collection;
import java.util.List;

/**
 * A {@link LiveSource}'s callbacks for a {@link RoomFeed}: the source calls them on its own
 * threads, and each is handed to the feed's thread in the order of the calls, where the feed's
 * state lives. Nothing of it runs after the feed closed ({@link FeedThread#close}).
 */
final class FeedSink implements LiveSink {

  private final RoomFeed feed;
  private final FeedThread thread;

  FeedSink(RoomFeed feed, FeedThread thread) {
    this.feed = feed;
    this.thread = thread;
  }

  @Override
  public void subscribed(String room) {
    thread.execute(() -> feed.subscribed(room), null);
  }

  @Override
  public void subscribeFailed(String room, Throwable cause) {
    thread.execute(() -> feed.subscribeFailed(room, cause), null);
  }

  @Override
  public void interrupted(Collection<String> rooms) {
    List<String> copy = List.copyOf(rooms);
    thread.execute(() -> feed.interrupted(copy), null);
  }

  @Override
  public void message(StoredEvent event, String previousStreamId) {
    thread.execute(() -> feed.message(event, previousStreamId), null);
  }
}
