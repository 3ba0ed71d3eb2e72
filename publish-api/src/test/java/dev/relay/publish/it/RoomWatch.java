package dev.relay.publish.it;

import dev.relay.contracts.EventId;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The live events of one room as the engine's feed delivers them (what a gateway would get). */
final class RoomWatch implements AutoCloseable {

  private final List<StoredEvent> events = new CopyOnWriteArrayList<>();
  private final Feed feed;

  RoomWatch(EventLog log, String room) {
    feed =
        log.openFeed(
            new FeedListener() {
              @Override
              public void event(StoredEvent event) {
                if (event.room().equals(room)) {
                  events.add(event);
                }
              }

              @Override
              public void positionLost(String lostRoom, EventId resumeAfter, String reason) {
                // a test would see the missing events; nothing to repair here
              }
            });
    feed.follow(room).toCompletableFuture().join();
  }

  /** The payload JSON of each event so far, in delivery order. */
  List<String> envelopes() {
    return events.stream().map(StoredEvent::envelopeJson).toList();
  }

  int count() {
    return events.size();
  }

  @Override
  public void close() {
    feed.close();
  }
}
