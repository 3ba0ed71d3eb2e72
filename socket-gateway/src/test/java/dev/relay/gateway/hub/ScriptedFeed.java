package dev.relay.gateway.hub;

import dev.relay.contracts.EventId;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Feed} driven by the test: records every call in order, answers follows with {@link
 * #start} (or fails them while {@link #down}), and lets the test play the feed thread through
 * {@link #listener}.
 */
final class ScriptedFeed implements Feed {

  final List<String> calls = new ArrayList<>();
  volatile EventId start = new EventId(0, 0, "ep1");
  volatile boolean down;
  FeedListener listener;
  boolean closed;

  static Hub hub(ScriptedFeed feed) {
    return new Hub(
        listener -> {
          feed.listener = listener;
          return feed;
        },
        FanoutObserver.NONE);
  }

  @Override
  public synchronized CompletionStage<EventId> follow(String room) {
    calls.add("follow " + room);
    return down
        ? CompletableFuture.failedFuture(new EngineUnavailableException("down", null))
        : CompletableFuture.completedFuture(start);
  }

  @Override
  public synchronized void unfollow(String room) {
    calls.add("unfollow " + room);
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  @Override
  public boolean healthy() {
    return !down;
  }

  @Override
  public int followedRooms() {
    return 0;
  }

  @Override
  public long eventsReceived() {
    return 0;
  }

  @Override
  public void close() {
    closed = true;
  }
}
