package dev.relay.engine.presence;

import java.util.List;

/**
 * One page of {@link PresenceStore#rooms}: rooms in byte order of their names; {@code more} when
 * rooms after the last one match too (ask again with it as {@code after}).
 */
public record RoomPage(List<OccupiedRoom> rooms, boolean more) {

  public RoomPage {
    rooms = List.copyOf(rooms);
  }

  /** The last room of the page (the next page's {@code after}), or null when empty. */
  public String last() {
    return rooms.isEmpty() ? null : rooms.get(rooms.size() - 1).room();
  }
}
