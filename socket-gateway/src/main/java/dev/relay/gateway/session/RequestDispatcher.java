package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.protocol.ClientMessage;
import java.util.function.Function;

/**
 * The one router of client requests for every protocol: a decoded {@link ClientMessage} drives the
 * protocol-neutral {@link ClientSession}, and the answer is encoded by the channel's {@link
 * ReplyCodec} and sent through the channel, so each request gets exactly one reply (or error) in
 * the protocol's framing. Protocols decode, this dispatches, the session decides. Confined to the
 * session's executor.
 */
public final class RequestDispatcher {

  private final ClientSession session;
  private final ClientChannel channel;

  public RequestDispatcher(ClientSession session, ClientChannel channel) {
    this.session = session;
    this.channel = channel;
  }

  public void dispatch(ClientMessage message) {
    ReplyCodec codec = channel.replies();
    String ref = message.ref();
    if (message instanceof ClientMessage.Subscribe s) {
      session.subscribe(
          s.room(),
          s.token(),
          s.since(),
          reply(ref, ok -> codec.subscribed(s, ok.room(), ok.recovered())));
    } else if (message instanceof ClientMessage.Unsubscribe u) {
      session.unsubscribe(u.room(), reply(ref, room -> codec.unsubscribed(room, ref)));
    } else if (message instanceof ClientMessage.Publish p) {
      session.publish(p.room(), p.event(), p.payload(), reply(ref, id -> codec.published(id, ref)));
    } else if (message instanceof ClientMessage.Presence p) {
      session.presence(p.room(), reply(ref, members -> codec.presence(p.room(), members, ref)));
    } else if (message instanceof ClientMessage.Refresh r) {
      session.refresh(r.token(), reply(ref, expiresAt -> codec.refreshed(expiresAt, ref)));
    } else if (message instanceof ClientMessage.Ping) {
      channel.send(codec.pong(ref));
    } else {
      channel.send(codec.error(ErrorCodes.INVALID_MESSAGE, "already authenticated", ref));
    }
  }

  private <T> Reply<T> reply(String ref, Function<T, String> encode) {
    return new Reply<>() {
      @Override
      public void ok(T value) {
        channel.send(encode.apply(value));
      }

      @Override
      public void error(String code, String detail) {
        channel.send(channel.replies().error(code, detail, ref));
      }
    };
  }
}
