package dev.relay.gateway.protocol.json;

import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.json.ServerMessages;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.gateway.session.ReplyCodec;
import java.time.Instant;
import java.util.List;

/** The JSON protocol's replies (SPEC §5): one typed message each, echoing the client's ref. */
enum JsonReplies implements ReplyCodec {
  INSTANCE;

  @Override
  public String subscribed(
      ClientMessage.Subscribe request, String room, boolean recovered, Integer history) {
    return ServerMessages.subscribed(
        room, recovered, history, request.echoField(), request.echoValue(), request.ref());
  }

  @Override
  public String unsubscribed(String room, String ref) {
    return ServerMessages.unsubscribed(room, ref);
  }

  @Override
  public String published(String id, String ref) {
    return ServerMessages.ack(ref, id);
  }

  @Override
  public String presence(String room, List<Member> members, String ref) {
    return ServerMessages.presence(room, members, ref);
  }

  @Override
  public String presenceSet(String ref) {
    return ServerMessages.ack(ref);
  }

  @Override
  public String refreshed(Instant expiresAt, String ref) {
    return ServerMessages.refreshed(expiresAt, ref);
  }

  @Override
  public String pong(String ref) {
    return ServerMessages.pong();
  }

  @Override
  public String error(String code, String detail, String ref) {
    return ServerMessages.error(code, detail, ref);
  }

  @Override
  public String left(String room, String reason) {
    return ServerMessages.unsubscribed(room, reason, null);
  }
}
