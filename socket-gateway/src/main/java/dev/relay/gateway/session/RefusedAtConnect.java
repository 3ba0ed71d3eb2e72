package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rooms a connection's token (or its recovered record) named but may not join because the user
 * was removed from them after the token was issued (SPEC §11): left out of the rooms joined at
 * connect, and told to the client once, after its answer ({@code error forbidden}, {@code removed
 * from <room>}).
 *
 * <p>Confined to the session's executor, like the session.
 */
final class RefusedAtConnect {

  private final RoomRemovals removals;
  private List<String> rooms;

  RefusedAtConnect(RoomRemovals removals) {
    this.removals = removals;
  }

  /** True, and noted to be told once, when {@code sub}'s token issued at {@code iat} is barred. */
  boolean refuses(String room, String sub, Instant issuedAt) {
    if (!removals.bars(room, sub, issuedAt)) {
      return false;
    }
    if (rooms == null) {
      rooms = new ArrayList<>(1);
    }
    if (!rooms.contains(room)) {
      rooms.add(room); // a recovered room may also be a token room: tell once
    }
    return true;
  }

  /** Tells the client of every room noted so far, once. */
  void tell(ClientChannel channel) {
    if (rooms != null) {
      for (String room : rooms) {
        channel.send(channel.replies().error(ErrorCodes.FORBIDDEN, "removed from " + room, null));
      }
      rooms = null;
    }
  }
}
