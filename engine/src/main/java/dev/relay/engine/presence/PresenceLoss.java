package dev.relay.engine.presence;

import java.util.Objects;

/**
 * {@code sub}'s last connection to {@code room} went with a dead instance: emit presence.left; and
 * when {@code roomVacated}, the room has no present user left: emit room.vacated.
 */
public record PresenceLoss(String room, String sub, boolean roomVacated) {

  public PresenceLoss(String room, String sub) {
    this(room, sub, false);
  }

  public PresenceLoss {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(sub, "sub");
  }
}
