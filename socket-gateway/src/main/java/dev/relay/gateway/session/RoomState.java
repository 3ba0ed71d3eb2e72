package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.gateway.hub.Delivery;
import java.util.List;

/**
 * Per-room state. {@code buffer} is non-null while a recovery is reading its replay. {@code
 * coveredFrom} records what this connection already delivered in the room, so no replay repeats it:
 * after the first live event, every id at or after it ({@code coveredInclusive} false); after a
 * complete recovery from {@code since}, every id after it ({@code coveredInclusive} true).
 */
final class RoomState {
  EventId coveredFrom;
  boolean coveredAfterOnly;
  List<Delivery> buffer;

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
