package dev.relay.gateway.protocol.sse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.gateway.session.ReplyCodec;
import java.time.Instant;
import java.util.List;

/**
 * SSE is one-way: a client sends no requests, so there is nothing to answer; the server's notices
 * become named events ({@code event: unsubscribed}, {@code event: error}) with a JSON {@code data}
 * line, which {@code EventSource} delivers to {@code addEventListener(name, …)}.
 */
enum SseReplies implements ReplyCodec {
  INSTANCE;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public String subscribed(
      ClientMessage.Subscribe request, String room, boolean recovered, Integer history) {
    return null;
  }

  @Override
  public String unsubscribed(String room, String ref) {
    return null;
  }

  @Override
  public String published(String id, String ref) {
    return null;
  }

  @Override
  public String presence(String room, List<Member> members, String ref) {
    return null;
  }

  @Override
  public String presenceSet(String ref) {
    return null;
  }

  @Override
  public String refreshed(Instant expiresAt, String ref) {
    return null;
  }

  @Override
  public String pong(String ref) {
    return null;
  }

  @Override
  public String error(String code, String detail, String ref) {
    return named("error", JSON.objectNode().put("code", code).toString());
  }

  @Override
  public String left(String room, String reason) {
    return named(
        "unsubscribed", JSON.objectNode().put("room", room).put("reason", reason).toString());
  }

  /** {@code event: <name>} with one {@code data:} line (the JSON holds no line break). */
  static String named(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }
}
