package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;
import dev.relay.contracts.RoomName;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.Scope;
import dev.relay.gateway.auth.TokenCheck;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.Subscriber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated client connection, independent of its protocol: the rooms it is in, what its
 * token allows, recovery on subscribe, client-published events and token refresh.
 *
 * <p>Threading: every method except {@link #expiresAtMillis} and the getters of immutable data must
 * be called on {@link ClientChannel#executor()} (the connection's event loop), which confines all
 * mutable state. The hub calls {@link #receive} there too, in stream order, so a room's events
 * reach the channel in order.
 *
 * <p>Recovery ({@code subscribe} with {@code since}): see {@link Recovery}. Events already
 * delivered live on this connection (the room was joined before) are not repeated.
 *
 * <p>Bounds (SPEC §10): subscribe and unsubscribe share a per-connection bucket ({@link
 * SessionLimits#subscribeLimit}); the ids of every live token the connection used are kept ({@link
 * TokenLedger}, and per room for subscription tokens), so revoking any of them closes it; a refresh
 * leaves every room the new token (or a subscription token still valid) no longer grants, and tells
 * the client ({@code unsubscribed} with reason {@code revoked}).
 */
public final class ClientSession implements Subscriber {

  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  private final String id;
  private final SessionServices services;
  private final ClientChannel channel;
  private final Map<String, RoomState> rooms = new HashMap<>(4);
  private volatile ConnectionGrant grant;
  private volatile long expiresAtMillis;
  private boolean closed;
  private long arrivals;
  private final ConnectionBucket churn;
  private final TokenLedger tokens = new TokenLedger();

  public ClientSession(
      String id, ConnectionGrant grant, SessionServices services, ClientChannel channel) {
    this.id = id;
    this.grant = grant;
    this.services = services;
    this.channel = channel;
    this.expiresAtMillis = grant.expiresAt().toEpochMilli();
    long now = services.clock().millis();
    this.churn = new ConnectionBucket(services.limits().subscribeLimit(), now);
    tokens.add(grant.jti(), expiresAtMillis, now);
  }

  SessionServices services() {
    return services;
  }

  ClientChannel channel() {
    return channel;
  }

  /** The state of a room the session is in, or null. */
  RoomState state(String room) {
    return rooms.get(room);
  }

  /** True while the session is open and {@code state} is still its state of {@code room}. */
  boolean holds(String room, RoomState state) {
    return !closed && rooms.get(room) == state;
  }

  /**
   * True when the connection used a token with this id (its connection token, a refreshed one not
   * yet expired, or the subscription token of a room it is in). Call on the executor.
   */
  public boolean usedToken(String jti) {
    if (jti == null) {
      return false;
    }
    if (tokens.contains(jti)) {
      return true;
    }
    for (RoomState state : rooms.values()) {
      if (jti.equals(state.subscriptionJti)) {
        return true;
      }
    }
    return false;
  }

  public String id() {
    return id;
  }

  public String sub() {
    return grant.sub();
  }

  public String jti() {
    return grant.jti();
  }

  public Instant expiresAt() {
    return Instant.ofEpochMilli(expiresAtMillis);
  }

  /** Readable from any thread: when the connection's token expires. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /** Joins the rooms granted by the token; returns them, sorted. */
  public Set<String> start() {
    for (String room : grant.autoJoin()) {
      join(room);
    }
    return new TreeSet<>(rooms.keySet());
  }

  /** The rooms the token joins at connect. */
  public Set<String> tokenRooms() {
    return grant.autoJoin();
  }

  /**
   * Joins a room this {@code sub} was authorized for on an earlier connection (the server-side
   * record of a recovered connection), without asking for a token again.
   *
   * @return false when the name is invalid or the room limit is reached
   */
  public boolean restore(String roomText) {
    Optional<RoomName> parsed = RoomName.parse(roomText);
    if (parsed.isEmpty()) {
      return false;
    }
    String room = parsed.get().toString();
    if (!rooms.containsKey(room)) {
      if (rooms.size() >= services.limits().maxRoomsPerConnection()) {
        return false;
      }
      // Granted on an earlier connection: held as long as this connection's current token.
      join(room).heldUntilMillis = expiresAtMillis;
    }
    return true;
  }

  /** Rooms the connection is in, sorted. */
  public Set<String> rooms() {
    return new TreeSet<>(rooms.keySet());
  }

  /** Joins a room, replaying from {@code since} when given; see the class comment. */
  public void subscribe(String roomText, String token, String since, Reply<Subscribed> reply) {
    if (!churn.tryTake(services.clock().millis())) {
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
        RoomAuthorization.check(services.tokens(), grant, parsed.get(), token, id);
    if (allowed.refusal() != null) {
      reply.error(allowed.refusal(), "not allowed to join " + room);
      return;
    }
    RoomState state = rooms.get(room);
    if (state == null) {
      if (rooms.size() >= services.limits().maxRoomsPerConnection()) {
        reply.error(ErrorCodes.LIMIT_EXCEEDED, "too many rooms on this connection");
        return;
      }
      state = join(room);
    }
    if (allowed.subscription() != null) {
      state.heldUntilMillis = allowed.subscription().expiresAt().toEpochMilli();
      state.subscriptionJti = allowed.subscription().jti();
    }
    if (since == null) {
      reply.ok(new Subscribed(room, false));
      return;
    }
    if (state.buffer != null) {
      reply.error(ErrorCodes.INVALID_MESSAGE, "a recovery of this room is in progress");
      return;
    }
    Optional<EventId> sinceId = EventId.parse(since);
    if (sinceId.isEmpty()) {
      reply.ok(new Subscribed(room, false));
      return;
    }
    Recovery.run(
        this,
        Map.of(room, sinceId.get()),
        new Recovery.Plan() {
          @Override
          public void answer(boolean recovered) {
            reply.ok(new Subscribed(room, recovered));
          }

          @Override
          public void replayed(StoredEvent event) {
            channel.sendEvent(new Delivery(event));
          }
        });
  }

  public void unsubscribe(String roomText, Reply<String> reply) {
    if (!churn.tryTake(services.clock().millis())) {
      reply.error(ErrorCodes.RATE_LIMITED, "too many unsubscribe requests");
      return;
    }
    if (!rooms.containsKey(roomText)) {
      reply.error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to this room");
      return;
    }
    leave(roomText);
    reply.ok(roomText);
  }

  /** Publishes a client event (scope {@code publish}) to a joined room; replies with its id. */
  public void publish(String roomText, String type, ObjectNode payload, Reply<String> reply) {
    services
        .publisher()
        .publish(
            id,
            grant,
            rooms.containsKey(roomText),
            roomText,
            type,
            payload,
            channel.executor(),
            reply);
  }

  /** Lists the members of a joined room (scope {@code presence}). */
  public void presence(String roomText, Reply<List<Member>> reply) {
    if (!grant.has(Scope.PRESENCE)) {
      reply.error(ErrorCodes.FORBIDDEN, "the token has no presence scope");
      return;
    }
    if (!rooms.containsKey(roomText)) {
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
            channel.executor());
  }

  /**
   * Replaces the connection token with a new one for the same {@code sub}, then leaves every room
   * that neither the new token nor a still valid subscription token grants (told {@code
   * unsubscribed}, reason {@code revoked}).
   */
  public void refresh(String token, Reply<Instant> reply) {
    TokenCheck<ConnectionGrant> check = services.tokens().verifyConnection(token);
    if (check instanceof TokenCheck.Refused<ConnectionGrant> refused) {
      LOG.info("refresh refused on {}: {}", id, refused.reason());
      reply.error(refused.code(), "token refused");
      return;
    }
    ConnectionGrant next = ((TokenCheck.Valid<ConnectionGrant>) check).grant();
    if (!next.sub().equals(grant.sub())) {
      LOG.info("refresh refused on {}: token for another sub", id);
      reply.error(ErrorCodes.FORBIDDEN, "token for another user");
      return;
    }
    long now = services.clock().millis();
    if (!tokens.add(next.jti(), next.expiresAt().toEpochMilli(), now)) {
      reply.error(ErrorCodes.RATE_LIMITED, "too many refreshes");
      return;
    }
    grant = next;
    expiresAtMillis = next.expiresAt().toEpochMilli();
    reply.ok(next.expiresAt());
    for (String room : new ArrayList<>(rooms.keySet())) {
      RoomState state = rooms.get(room);
      boolean granted =
          RoomName.parse(room).map(next::allows).orElse(false) || state.heldUntilMillis > now;
      if (!granted) {
        leave(room);
        channel.send(channel.replies().left(room, "revoked"));
      }
    }
  }

  @Override
  public Executor executor() {
    return channel.executor();
  }

  @Override
  public void receive(Delivery delivery) {
    onDelivery(delivery);
  }

  /**
   * Records this connection's rooms in the presence directory again (after the directory had given
   * this gateway up, e.g. during a long Redis outage). Call on the executor.
   */
  public void rejoinPresence() {
    if (!closed) {
      for (String room : rooms.keySet()) {
        services.presence().joined(room, grant.sub(), id);
      }
    }
  }

  /** Leaves every room; further deliveries are dropped. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String room : new ArrayList<>(rooms.keySet())) {
      leave(room);
    }
  }

  private void onDelivery(Delivery delivery) {
    RoomState state = rooms.get(delivery.event().room());
    if (closed || state == null || !visible(delivery)) {
      return;
    }
    if (state.buffer != null) {
      state.buffer.add(new Recovery.Sequenced(arrivals++, delivery));
      return;
    }
    state.liveFrom(delivery.event().id());
    channel.sendEvent(delivery);
  }

  /**
   * Presence events reach only connections allowed to see presence (scope {@code presence}), and
   * never the user they are about: a user's own tabs do not need to hear that it joined.
   */
  private boolean visible(Delivery delivery) {
    String about = delivery.presenceSub();
    return about == null || (grant.has(Scope.PRESENCE) && !about.equals(grant.sub()));
  }

  private RoomState join(String room) {
    RoomState state = new RoomState();
    rooms.put(room, state);
    services.hub().join(room, this);
    services.presence().joined(room, grant.sub(), id);
    channel.roomsChanged();
    return state;
  }

  private void leave(String room) {
    rooms.remove(room);
    services.hub().leave(room, this);
    services.presence().left(room, grant.sub(), id);
    if (!closed) {
      channel.roomsChanged();
    }
  }

  /** The answer to a subscribe; {@code recovered} is false when no {@code since} was given. */
  public record Subscribed(String room, boolean recovered) {}
}
