package dev.relay.engine.presence;

import java.util.Objects;

/**
 * A room with at least one present user, and how many ({@code members}: users, not connections;
 * users on a dead instance count until the sweep removes them).
 */
public record OccupiedRoom(String room, int members) {

  public OccupiedRoom {
    Objects.requireNonNull(room, "room");
  }
}
