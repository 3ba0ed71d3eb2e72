package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.RoomName;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.Scope;
import dev.relay.gateway.auth.TokenCheck;
import dev.relay.gateway.session.ClientSession.Subscribed;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests an authenticated client sends, for every protocol ({@link RequestDispatcher} routes
 * them here): subscribe and unsubscribe, client-published events and presence state, the presence
 * query and token refresh. Each checks what the connection's token allows and its per-connection
 * limits, then acts on its {@link ClientSession}, which keeps the rooms, the grant and the
 * deliveries; each request gets exactly one answer through its {@link Reply}.
 *
 * <p>Threading: as the session's, every method must be called on the connection's executor.
 */
public final class SessionRequests {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRequests.class);

  private final ClientSession session;
  private final SessionServices services;

  public SessionRequests(ClientSession session) {
    this.session = session;
    this.services = session.services();
  }

  /**
   * Joins a room, replaying from {@code since} when given, then sending its last {@code history}
   * stored events when asked (null: not asked) and {@code since} could not be recovered; answered
   * once the room is followed (subscribe-then-read: see {@link ClientSession}) and {@link
   * Recovery#runWithHistory}.
   */
  public void subscribe(
      String roomText, String token, String since, Integer history, Reply<Subscribed> reply) {
    if (!session.churn().tryTake(services.clock().millis())) {
      reply.error(ErrorCodes.RATE_LIMITED, "too many subscribe requests");
      return;
    }
    Optional<RoomName> parsed = RoomName.parse(roomText);
    if (parsed.isEmpty()) {
      reply.error(ErrorCodes.INVALID_MESSAGE, "invalid room name");
      return;
    }
    String room = parsed.get().toString();
    RoomAuthorization allowed =
        RoomAuthorization.check(
            services.tokens(),
            services.removals(),
            session.grant(),
            parsed.get(),
            token,
            session.id());
    if (allowed.refusal() != null) {
      reply.error(allowed.refusal(), "not allowed to join " + room);
      return;
    }
    RoomState state = session.state(room);
    boolean fresh = state == null;
    if (fresh) {
      if (session.joined().size() >= services.limits().maxRoomsPerConnection()) {
        reply.error(ErrorCodes.LIMIT_EXCEEDED, "too many rooms on this connection");
        return;
      }
      state = session.join(room);
    } else if (state.buffer != null) {
      reply.error(ErrorCodes.INVALID_MESSAGE, "a subscribe of this room is in progress");
      return;
    }
    if (allowed.subscription() != null) {
      state.heldUntilMillis = allowed.subscription().expiresAt().toEpochMilli();
      state.subscriptionJti = allowed.subscription().jti();
    }
    RoomState joined = state;
    session
        .followed(List.of(room), fresh && since == null && history == null)
        .whenComplete(
            (ok, failure) ->
                SubscribeAnswer.answer(
                    session, room, joined, fresh, since, history, reply, failure));
  }

  public void unsubscribe(String roomText, Reply<String> reply) {
    if (!session.churn().tryTake(services.clock().millis())) {
      reply.error(ErrorCodes.RATE_LIMITED, "too many unsubscribe requests");
      return;
    }
    if (!session.joined().containsKey(roomText)) {
      reply.error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to this room");
      return;
    }
    session.leave(roomText);
    reply.ok(roomText);
  }

  /** Publishes a client event (scope {@code publish}) to a joined room; replies with its id. */
  public void publish(String roomText, String type, ObjectNode payload, Reply<String> reply) {
    services
        .publisher()
        .publish(
            session.id(),
            session.grant(),
            session.joined().containsKey(roomText),
            roomText,
            type,
            payload,
            session.channel().executor(),
            reply);
  }

  /** Sets this user's presence state in a joined room (SPEC §11; see ClientEventPublisher). */
  public void setPresence(String roomText, String state, Reply<Boolean> reply) {
    services
        .publisher()
        .setPresence(
            session.id(),
            session.grant(),
            session.joined().containsKey(roomText),
            roomText,
            state,
            services.presence(),
            session.channel().executor(),
            reply);
  }

  /** Lists the members of a joined room (scope {@code presence}). */
  public void presence(String roomText, Reply<List<Member>> reply) {
    if (!session.grant().has(Scope.PRESENCE)) {
      reply.error(ErrorCodes.FORBIDDEN, "the token has no presence scope");
      return;
    }
    if (!session.joined().containsKey(roomText)) {
      reply.error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to this room");
      return;
    }
    services
        .presence()
        .members(roomText)
        .whenCompleteAsync(
            (members, failure) -> {
              if (failure != null) {
                reply.error(ErrorCodes.UNAVAILABLE, "try again");
              } else {
                reply.ok(members);
              }
            },
            session.channel().executor());
  }

  /**
   * Replaces the connection token with a new one for the same {@code sub}, then leaves every room
   * that neither the new token nor a still valid subscription token grants (told {@code
   * unsubscribed}, reason {@code revoked}).
   */
  public void refresh(String token, Reply<Instant> reply) {
    TokenCheck<ConnectionGrant> check = services.tokens().verifyConnection(token);
    if (check instanceof TokenCheck.Refused<ConnectionGrant> refused) {
      LOG.info("refresh refused on {}: {}", session.id(), refused.reason());
      reply.error(refused.code(), "token refused");
      return;
    }
    ConnectionGrant next = ((TokenCheck.Valid<ConnectionGrant>) check).grant();
    if (!next.sub().equals(session.grant().sub())) {
      LOG.info("refresh refused on {}: token for another sub", session.id());
      reply.error(ErrorCodes.FORBIDDEN, "token for another user");
      return;
    }
    long now = services.clock().millis();
    if (!session.tokens().add(next.jti(), next.expiresAtMillis(), now)) {
      reply.error(ErrorCodes.RATE_LIMITED, "too many refreshes");
      return;
    }
    session.regrant(next);
    reply.ok(next.expiresAt());
    for (String room : session.joined().names()) {
      RoomState state = session.state(room);
      boolean granted =
          RoomName.parse(room).map(next::allows).orElse(false) || state.heldUntilMillis > now;
      if (!granted) {
        session.leaveTelling(room, "revoked");
      }
    }
  }
}
