package dev.relay.gateway.session;

import dev.relay.contracts.protocol.json.ServerMessages.Member;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Who is in a room. A user ({@code sub}) with several connections in a room counts once, with the
 * time its first connection joined, the {@code info} of its latest joining connection and the last
 * {@code state} set by any of them (SPEC §11). Implementations must not block.
 */
public interface PresenceDirectory {

  /**
   * @param info the connection token's {@code info} claim as compact JSON, or null
   */
  void joined(String room, String sub, String connectionId, String info);

  /**
   * Sets the user's presence state in the room and tells every member ({@code presence.updated}).
   * Completes with false when the user is not (or no longer) a member.
   */
  CompletionStage<Boolean> setState(String room, String sub, String state);

  void left(String room, String sub, String connectionId);

  CompletionStage<List<Member>> members(String room);
}
