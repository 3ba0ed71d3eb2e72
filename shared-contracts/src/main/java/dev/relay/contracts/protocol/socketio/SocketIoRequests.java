package dev.relay.contracts.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.ClientMessageDecoder;
import dev.relay.contracts.protocol.InvalidMessageException;
import java.util.Set;

/**
 * Decodes a Socket.IO EVENT packet from a client ({@code 42["subscribe",{"room":"team:1"}]}, with
 * an optional ack id) into the same {@link ClientMessage} records as the JSON protocol, through
 * {@link ClientMessageDecoder}, so both protocols accept exactly the same requests with the same
 * bounds. The event name is the request type; the first argument holds its fields; the ack id, as
 * text, is the {@code ref} that the reply answers. Authentication and pings belong to Socket.IO's
 * CONNECT and Engine.IO's heartbeat, so {@code auth} and {@code ping} are not request events here.
 */
public final class SocketIoRequests {

  private static final Set<String> EVENTS =
      Set.of("subscribe", "unsubscribe", "publish", "presence", "presence.set", "refresh");

  private SocketIoRequests() {}

  /**
   * @throws InvalidMessageException for an unknown event or a malformed argument; its {@code ref}
   *     is the packet's ack id when it has one
   */
  public static ClientMessage decode(SocketPacket packet) throws InvalidMessageException {
    String ref = packet.ackId() == null ? null : Long.toString(packet.ackId());
    String name = packet.eventName();
    if (name == null || !EVENTS.contains(name)) {
      throw new InvalidMessageException(
          ClientMessageDecoder.INVALID,
          "unknown event (" + (name == null ? 0 : name.length()) + " characters)",
          ref);
    }
    JsonNode args = packet.data();
    JsonNode arg = args.size() > 1 ? args.get(1) : null;
    if (arg == null || !arg.isObject()) {
      throw new InvalidMessageException(
          ClientMessageDecoder.INVALID, "the argument must be an object", ref);
    }
    return ClientMessageDecoder.decode(name, arg, ref);
  }
}
