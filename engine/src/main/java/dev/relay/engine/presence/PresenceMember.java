package dev.relay.engine.presence;

import java.time.Instant;
import java.util.Objects;

/** A present user and the time of their earliest live connection to the room (milliseconds). */
public record PresenceMember(String sub, Instant joinedAt) {

  public PresenceMember {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(joinedAt, "joinedAt");
  }
}
