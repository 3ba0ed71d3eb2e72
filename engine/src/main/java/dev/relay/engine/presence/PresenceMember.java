package dev.relay.engine.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * A present user: the time of their earliest live connection to the room (milliseconds), their
 * {@code info} (the {@code info} claim of the connection token of their latest join) and their
 * {@code state} (the last one set in this room), each a compact JSON object of at most {@link
 * PresenceStore#MAX_DATA_BYTES} bytes, or null when there is none.
 */
public record PresenceMember(String sub, Instant joinedAt, String info, String state) {

  public PresenceMember {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(joinedAt, "joinedAt");
  }
}
