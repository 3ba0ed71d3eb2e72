package dev.relay.gateway.session;

import dev.relay.engine.control.ControlStore;
import java.time.Instant;

/**
 * The rule of SPEC §11 for a user removed from a room ({@code POST /v1/rooms/{room}/unsubscribe}):
 * a token issued before the removal does not let that user join the room again, neither on
 * subscribe nor at connect. {@code iat} has whole seconds, so a token issued in the same second as
 * the removal counts as before it (issue a new token at least a second later); a token without
 * {@code iat} (a subscription token may have none) counts as before every kept removal. Answered
 * from the control store's local copy, so it is safe on the connection's event loop. Thread-safe.
 */
public interface RoomRemovals {

  /** Nobody is ever removed (tests, tools). */
  RoomRemovals NONE = (room, sub) -> 0;

  /**
   * Connections that joined up to this long after a removal (by this gateway's clock, against the
   * store's) still count as joined before it when the signal arrives late: the allowance for clock
   * skew between gateways and Redis.
   */
  long SKEW_MILLIS = 1000;

  /** When {@code sub} was last removed from {@code room} (Unix ms), 0 when not (or not kept). */
  long removedAt(String room, String sub);

  /** True when a token issued at {@code issuedAt} (null: unknown) may not join the room. */
  default boolean bars(String room, String sub, Instant issuedAt) {
    long at = removedAt(room, sub);
    return at != 0 && (issuedAt == null || issuedAt.toEpochMilli() < at);
  }

  static RoomRemovals of(ControlStore store) {
    return store::removedAt;
  }
}
