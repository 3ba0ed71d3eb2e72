package dev.relay.engine;

import java.util.List;

/**
 * The answer to {@link EventLog#history}: a page of a room's stored non-volatile events, newest
 * first, and whether older ones remain ({@code more}: ask again with the oldest id of this page as
 * {@code before}).
 */
public record History(List<StoredEvent> events, boolean more) {

  public History {
    events = List.copyOf(events);
  }

  /** No events and nothing older: an unknown room, or a {@code before} of another epoch. */
  public static History empty() {
    return new History(List.of(), false);
  }
}
