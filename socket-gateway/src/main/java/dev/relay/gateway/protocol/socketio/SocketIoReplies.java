package dev.relay.gateway.protocol.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.contracts.protocol.socketio.SocketPacket;
import dev.relay.gateway.session.ReplyCodec;
import java.time.Instant;
import java.util.List;

/**
 * Socket.IO's replies (SPEC §6): the ack of the request's ack id ({@code ref}), {@code {ok:true,…}}
 * or {@code {ok:false,code}}. A request without an ack id gets nothing on success and an {@code
 * error} event {@code {code,message}} on failure; server notices are events ({@code unsubscribed}
 * {@code {room, reason}}). Frames are Socket.IO packets for the Engine.IO session to send.
 */
enum SocketIoReplies implements ReplyCodec {
  INSTANCE;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public String subscribed(
      ClientMessage.Subscribe request, String room, boolean recovered, Integer history) {
    ObjectNode ok = ok().put("room", room).put("recovered", recovered);
    if (history != null) {
      ok.put("history", history);
    }
    return ack(request.ref(), ok);
  }

  @Override
  public String unsubscribed(String room, String ref) {
    return ack(ref, ok().put("room", room));
  }

  @Override
  public String published(String id, String ref) {
    return ack(ref, ok().put("id", id));
  }

  @Override
  public String presence(String room, List<Member> members, String ref) {
    ObjectNode answer = ok();
    var list = answer.putArray("members");
    for (Member m : members) {
      ObjectNode member =
          list.addObject().put("sub", m.sub()).put("joinedAt", m.joinedAt().toString());
      member.set("info", rawObject(m.info()));
      member.set("state", rawObject(m.state()));
    }
    return ack(ref, answer);
  }

  @Override
  public String presenceSet(String ref) {
    return ack(ref, ok());
  }

  /**
   * A stored compact JSON object (info or state) as a node; JSON null when absent or unreadable.
   */
  private static JsonNode rawObject(String json) {
    if (json == null) {
      return JSON.nullNode();
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.nullNode();
    }
  }

  @Override
  public String refreshed(Instant expiresAt, String ref) {
    return ack(ref, ok().put("expiresAt", expiresAt.toString()));
  }

  @Override
  public String pong(String ref) {
    return null;
  }

  @Override
  public String error(String code, String detail, String ref) {
    if (ref != null) {
      return ack(ref, JSON.objectNode().put("ok", false).put("code", code));
    }
    return event("error", JSON.objectNode().put("code", code).put("message", detail));
  }

  @Override
  public String left(String room, String reason) {
    return event("unsubscribed", JSON.objectNode().put("room", room).put("reason", reason));
  }

  private static ObjectNode ok() {
    return JSON.objectNode().put("ok", true);
  }

  private static String ack(String ref, ObjectNode answer) {
    if (ref == null) {
      return null;
    }
    return SocketPacket.ack(SocketPacket.DEFAULT_NAMESPACE, Long.parseLong(ref), answer).encode();
  }

  static String event(String name, ObjectNode data) {
    return SocketPacket.event(SocketPacket.DEFAULT_NAMESPACE, null, name, data).encode();
  }
}
