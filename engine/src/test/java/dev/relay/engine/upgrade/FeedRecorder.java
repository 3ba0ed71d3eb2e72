package dev.relay.engine.upgrade;

import dev.relay.contracts.EventId;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a feed delivers, for the upgrade tests. */
final class FeedRecorder implements FeedListener {

  final List<StoredEvent> events = new CopyOnWriteArrayList<>();
  final List<String> lost = new CopyOnWriteArrayList<>();

  @Override
  public void event(StoredEvent event) {
    events.add(event);
  }

  @Override
  public void positionLost(String room, EventId resumeAfter, String reason) {
    lost.add(room + " " + reason);
  }

  List<StoredEvent> of(String room) {
    return events.stream().filter(e -> e.room().equals(room)).toList();
  }

  /** True once an event of type {@code type} in {@code room} was delivered. */
  boolean saw(String room, String type) {
    return events.stream().anyMatch(e -> e.room().equals(room) && e.type().equals(type));
  }
}
