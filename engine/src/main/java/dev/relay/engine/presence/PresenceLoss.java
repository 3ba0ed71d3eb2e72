package dev.relay.engine.presence;

import java.util.Objects;

/** {@code sub}'s last connection to {@code room} went with a dead instance: emit presence.left. */
public record PresenceLoss(String room, String sub) {

  public PresenceLoss {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(sub, "sub");
  }
}
