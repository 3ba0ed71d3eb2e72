package dev.relay.gateway.session;

import dev.relay.contracts.protocol.json.ServerMessages.Member;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Who is in a room. A user ({@code sub}) with several connections in a room counts once, with the
 * time its first connection joined. Implementations must not block.
 */
public interface PresenceDirectory {

  void joined(String room, String sub, String connectionId);

  void left(String room, String sub, String connectionId);

  CompletionStage<List<Member>> members(String room);
}
