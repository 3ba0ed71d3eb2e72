package dev.relay.gateway.session;

import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import java.time.Instant;
import java.util.List;

/**
 * How one protocol encodes the session's answers: the JSON protocol as typed messages, Socket.IO as
 * acks of the request's ack id ({@code ref}) or events. Each method returns the frame to send
 * through {@link ClientChannel#send}, or null when the protocol sends nothing (e.g. a Socket.IO
 * success without an ack id). Implementations are stateless and thread-safe.
 */
public interface ReplyCodec {

  /**
   * {@code recovered} is false when nothing was asked to be recovered; {@code history} is the count
   * of stored events sent after the reply, null when the request did not ask for history.
   */
  String subscribed(
      ClientMessage.Subscribe request, String room, boolean recovered, Integer history);

  String unsubscribed(String room, String ref);

  /** A client event was appended with {@code id}. */
  String published(String id, String ref);

  String presence(String room, List<Member> members, String ref);

  /** The state of {@code presence.set} was stored and announced. */
  String presenceSet(String ref);

  String refreshed(Instant expiresAt, String ref);

  String pong(String ref);

  /** {@code code} is a stable error code (SPEC §5); {@code detail} a hint without secrets. */
  String error(String code, String detail, String ref);

  /** The server took the connection out of {@code room} (e.g. {@code reason} {@code revoked}). */
  String left(String room, String reason);
}
