package dev.relay.engine;

import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link FeedListener} for tests: records every event and lost position a feed delivers, and
 * checks on the fly that no room's events repeat or go backwards within an epoch.
 */
public final class Recorder implements FeedListener {

  /** What a lost position said. */
  public record Lost(String room, EventId resumeAfter, String reason) {}

  public final List<StoredEvent> events = new CopyOnWriteArrayList<>();
  public final List<Lost> lost = new CopyOnWriteArrayList<>();
  public final List<String> violations = new CopyOnWriteArrayList<>();

  /** The feed this recorder listens to, once opened. */
  public Feed feed;

  @Override
  public void event(StoredEvent event) {
    List<StoredEvent> before = eventsOf(event.room());
    if (!before.isEmpty()) {
      EventId last = before.get(before.size() - 1).id();
      if (last.epoch().equals(event.id().epoch()) && event.id().compareTo(last) <= 0) {
        violations.add(event.id() + " delivered after " + last);
      }
    }
    events.add(event);
  }

  @Override
  public void positionLost(String room, EventId resumeAfter, String reason) {
    lost.add(new Lost(room, resumeAfter, reason));
  }

  public List<StoredEvent> eventsOf(String room) {
    return events.stream().filter(e -> e.room().equals(room)).toList();
  }

  /** Waits until {@code room} has at least {@code count} events, then returns them. */
  public List<StoredEvent> awaitEvents(String room, int count) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> eventsOf(room).size() >= count || !violations.isEmpty());
    if (!violations.isEmpty()) {
      throw new AssertionError("out of order or duplicate: " + violations);
    }
    return eventsOf(room);
  }
}
