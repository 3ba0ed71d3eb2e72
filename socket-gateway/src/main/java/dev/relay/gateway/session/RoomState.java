package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import java.util.List;

/**
 * Per-room state of one connection.
 *
 * <p>{@code buffer} is non-null while a {@link Recovery} is reading the room's replay. {@code
 * coveredFrom} records what this connection already delivered in the room, so no replay repeats it:
 * after the first live event, every id at or after it ({@code coveredAfterOnly} false); after a
 * complete recovery from {@code since}, every id after it ({@code coveredAfterOnly} true).
 *
 * <p>{@code heldUntilMillis} is how long the room stays granted without the connection token's
 * say-so: the expiry of the subscription token it was joined with (0 when the connection token
 * grants it), which a refresh checks; {@code subscriptionJti} is that token's id, kept so revoking
 * it closes the connection.
 */
final class RoomState {
  EventId coveredFrom;
  boolean coveredAfterOnly;
  List<Recovery.Sequenced> buffer;
  long heldUntilMillis;
  String subscriptionJti;

  boolean delivered(EventId id) {
    if (coveredFrom == null) {
      return false;
    }
    int order = id.compareTo(coveredFrom);
    return coveredAfterOnly ? order > 0 : order >= 0;
  }

  void liveFrom(EventId id) {
    if (coveredFrom == null) {
      coveredFrom = id;
      coveredAfterOnly = false;
    }
  }

  void recoveredAfter(EventId since) {
    if (coveredFrom == null || since.compareTo(coveredFrom) < 0) {
      coveredFrom = since;
      coveredAfterOnly = true;
    }
  }
}
