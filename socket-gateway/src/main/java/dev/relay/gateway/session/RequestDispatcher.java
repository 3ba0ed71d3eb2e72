package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.protocol.ClientMessage;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Function;

/**
 * The one router of client requests for every protocol: a decoded {@link ClientMessage} drives the
 * protocol-neutral {@link ClientSession} through its {@link SessionRequests}, and the answer is
 * encoded by the channel's {@link ReplyCodec} and sent through the channel, so each request gets
 * exactly one reply (or error) in the protocol's framing. Protocols decode, this dispatches, the
 * session decides. Confined to the session's executor.
 *
 * <p>Order: a {@code subscribe} is answered only once its room is followed (a round trip to the
 * store). Requests that arrive meanwhile wait, up to {@value #MAX_WAITING} (more are answered
 * {@code rate_limited}), and are handled in order after its answer, so replies keep the order of
 * the requests ({@code subscribe, unsubscribe, subscribe} of one room answers in that order).
 */
public final class RequestDispatcher {

  /** Requests that may wait behind an unanswered subscribe. */
  static final int MAX_WAITING = 64;

  private final SessionRequests requests;
  private final ClientChannel channel;

  /** Created by the first request that has to wait (most connections never have one). */
  private Queue<ClientMessage> waiting;

  private boolean subscribing;

  public RequestDispatcher(ClientSession session, ClientChannel channel) {
    this.requests = new SessionRequests(session);
    this.channel = channel;
  }

  public void dispatch(ClientMessage message) {
    if (subscribing) {
      if (waiting == null) {
        waiting = new ArrayDeque<>(4);
      }
      if (waiting.size() >= MAX_WAITING) {
        channel.send(
            channel
                .replies()
                .error(ErrorCodes.RATE_LIMITED, "too many requests in flight", message.ref()));
      } else {
        waiting.add(message);
      }
      return;
    }
    handle(message);
  }

  private void handle(ClientMessage message) {
    ReplyCodec codec = channel.replies();
    String ref = message.ref();
    if (message instanceof ClientMessage.Subscribe s) {
      subscribing = true;
      requests.subscribe(
          s.room(),
          s.token(),
          s.since(),
          s.history(),
          then(
              reply(ref, ok -> codec.subscribed(s, ok.room(), ok.recovered(), ok.history())),
              this::subscribeAnswered));
    } else if (message instanceof ClientMessage.Unsubscribe u) {
      requests.unsubscribe(u.room(), reply(ref, room -> codec.unsubscribed(room, ref)));
    } else if (message instanceof ClientMessage.Publish p) {
      requests.publish(
          p.room(), p.event(), p.payload(), reply(ref, id -> codec.published(id, ref)));
    } else if (message instanceof ClientMessage.Presence p) {
      requests.presence(p.room(), reply(ref, members -> codec.presence(p.room(), members, ref)));
    } else if (message instanceof ClientMessage.PresenceSet p) {
      requests.setPresence(p.room(), p.state(), reply(ref, ok -> codec.presenceSet(ref)));
    } else if (message instanceof ClientMessage.Refresh r) {
      requests.refresh(r.token(), reply(ref, expiresAt -> codec.refreshed(expiresAt, ref)));
    } else if (message instanceof ClientMessage.Ping) {
      channel.send(codec.pong(ref));
    } else {
      channel.send(codec.error(ErrorCodes.INVALID_MESSAGE, "already authenticated", ref));
    }
  }

  /** The subscribe in flight was answered: handles the requests that waited, in order. */
  private void subscribeAnswered() {
    subscribing = false;
    while (!subscribing && waiting != null && !waiting.isEmpty()) {
      handle(waiting.poll());
    }
    if (!subscribing) {
      waiting = null;
    }
  }

  private static <T> Reply<T> then(Reply<T> reply, Runnable after) {
    return new Reply<>() {
      @Override
      public void ok(T value) {
        reply.ok(value);
        after.run();
      }

      @Override
      public void error(String code, String detail) {
        reply.error(code, detail);
        after.run();
      }
    };
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
