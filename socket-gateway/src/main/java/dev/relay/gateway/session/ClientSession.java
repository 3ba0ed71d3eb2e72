package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.contracts.RoomName;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.Scope;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.Subscriber;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One authenticated client connection, independent of its protocol: the rooms it is in, what its
 * token allows, recovery on subscribe, and the deliveries of its rooms. The requests the client
 * sends (subscribe, unsubscribe, client events, presence, refresh) are {@link SessionRequests}.
 *
 * <p>Threading: every method except {@link #expiresAtMillis} and the getters of immutable data must
 * be called on {@link ClientChannel#executor()} (the connection's event loop), which confines all
 * mutable state. The hub calls {@link #receive} there too, in stream order, so a room's events
 * reach the channel in order.
 *
 * <p>Subscribe-then-read: a {@code subscribe} is answered only once the room is followed (its start
 * position known), and the room's live events wait until that answer went out; a follow that fails
 * (store down) answers {@code unavailable} and leaves the room. Per room the session keeps the id
 * of the last event delivered (or the start position); events at or before it are not delivered
 * again, and recovery offsets ({@link #offset}) carry it.
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

  private final String id;
  private final SessionServices services;
  private final ClientChannel channel;
  private final SessionRooms rooms = new SessionRooms();
  private volatile ConnectionGrant grant;
  private volatile long expiresAtMillis;
  private boolean closed;
  private final ConnectionBucket churn;
  private final TokenLedger tokens = new TokenLedger();
  private final long openedAtMillis;
  private final RefusedAtConnect refusedAtConnect;

  public ClientSession(
      String id, ConnectionGrant grant, SessionServices services, ClientChannel channel) {
    this.id = id;
    this.grant = grant;
    this.services = services;
    this.channel = channel;
    this.expiresAtMillis = grant.expiresAtMillis();
    long now = services.clock().millis();
    this.openedAtMillis = now;
    this.churn = new ConnectionBucket(services.limits().subscribeLimit(), now);
    this.refusedAtConnect = new RefusedAtConnect(services.removals());
    tokens.add(grant.jti(), expiresAtMillis, now);
  }

  SessionServices services() {
    return services;
  }

  ClientChannel channel() {
    return channel;
  }

  /** The rooms the session is in, with their state (for {@link SessionRequests}). */
  SessionRooms joined() {
    return rooms;
  }

  /** The connection's current grant (its token's claims). */
  ConnectionGrant grant() {
    return grant;
  }

  /** The ids of the tokens the connection used (for {@link SessionRequests#refresh}). */
  TokenLedger tokens() {
    return tokens;
  }

  /** The per-connection bucket subscribe and unsubscribe share (SPEC §10). */
  ConnectionBucket churn() {
    return churn;
  }

  /** Makes {@code next} the connection's grant (a refresh verified by {@link SessionRequests}). */
  void regrant(ConnectionGrant next) {
    grant = next;
    expiresAtMillis = next.expiresAtMillis();
  }

  /** The state of a room the session is in, or null. */
  RoomState state(String room) {
    return rooms.get(room);
  }

  boolean isClosed() {
    return closed;
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
    return rooms.any(state -> jti.equals(state.subscriptionJti));
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

  /** Readable from any thread: when the connection was authenticated (this gateway's clock). */
  public long openedAtMillis() {
    return openedAtMillis;
  }

  /** Readable from any thread: when the connection's token expires. */
  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  /**
   * Joins the rooms granted by the token; returns them, sorted. Their deliveries are held until
   * {@link #followed} completed and the caller {@link #release}d them (after its answer to the
   * client), so no event published after that answer can be missed.
   */
  public Set<String> start() {
    for (String room : grant.autoJoin()) {
      if (!refusedAtConnect.refuses(room, grant.sub(), grant.issuedAt())) {
        join(room);
      }
    }
    return new TreeSet<>(rooms.names());
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
    if (!rooms.containsKey(room)
        && !refusedAtConnect.refuses(room, grant.sub(), grant.issuedAt())) {
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
    return new TreeSet<>(rooms.names());
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
   * The gateway lost its position in {@code room}: closes the connection so the client recovers.
   */
  @Override
  public void roomLost(String room) {
    if (!closed && rooms.containsKey(room)) {
      channel.close(CloseCodes.GOING_AWAY, "stream position lost");
    }
  }

  /**
   * Completes on the executor once every room the session is in has its start position (its follow
   * answered) and its open streamed messages were read ({@link Snapshots}, sent by {@link
   * #release}); fails with the first failure ({@link dev.relay.engine.EngineUnavailableException}
   * when the store is down). Deliveries of the rooms stay held until {@link #release}.
   */
  public CompletionStage<Void> followed() {
    return followed(rooms.names(), true);
  }

  /**
   * As {@link #followed()} for {@code names}; without {@code snapshots} when a {@link Recovery}
   * follows, which reads them itself after its replay.
   */
  CompletionStage<Void> followed(List<String> names, boolean snapshots) {
    CompletionStage<Void> started = rooms.followed(names, channel.executor(), this::holds);
    if (!snapshots) {
      return started;
    }
    return started.thenCompose(
        ok -> Snapshots.readHeld(services.log(), names, rooms::get, channel.executor()));
  }

  /**
   * Sends, for every room held and not being recovered, the {@link Snapshots snapshots} of its open
   * streamed messages read by {@link #followed}, then the deliveries it held, in arrival order, and
   * delivers the rooms' events directly from now on. Call once the client was answered.
   */
  public void release() {
    release(rooms.held(null));
    refusedAtConnect.tell(channel);
  }

  /**
   * The user was removed from {@code room} at {@code atMillis} (SPEC §11): leaves it, if it joined
   * before then (allowing {@link RoomRemovals#SKEW_MILLIS}), and tells the client ({@code
   * unsubscribed}, reason {@code removed}). Presence and webhooks see a normal leave.
   */
  public void removed(String room, long atMillis) {
    RoomState state = rooms.get(room);
    if (!closed && state != null && state.joinedAtMillis <= atMillis + RoomRemovals.SKEW_MILLIS) {
      leaveTelling(room, "removed");
    }
  }

  void release(String room) {
    release(rooms.held(room));
  }

  private void release(List<String> names) {
    for (String name : names) {
      RoomState state = rooms.get(name);
      Snapshots.send(this, name, state, state.pendingSnapshot);
      state.pendingSnapshot = null;
    }
    rooms.release(names).forEach(held -> onDelivery(held.delivery()));
  }

  /**
   * Sends a volatile event the recovery buffered whose id is behind the room's position (the replay
   * passed it, but volatile events are never replayed); the position does not move.
   */
  void receiveBehind(Delivery delivery) {
    RoomState state = rooms.get(delivery.event().room());
    if (!closed && state != null && visible(delivery) && !state.inSnapshot(delivery.event())) {
      channel.sendEvent(delivery);
    }
  }

  /**
   * True when the connection's offset after {@code delivery} is the event's own id in its room and
   * nothing else (its only room, at that position): the frame every such connection shares.
   */
  public boolean offsetIsEventOnly(Delivery delivery) {
    return rooms.offsetIsEventOnly(delivery);
  }

  /** How many rooms the session is in. */
  public int roomCount() {
    return rooms.size();
  }

  /**
   * The connection's resume offset ({@link ResumeOffset}): every room with its position; rooms
   * still waiting for their start position are left out (a resume then answers {@code
   * recovered:false}).
   */
  public String offset() {
    return rooms.offset();
  }

  /** The position of a joined room (see {@link RoomState}), or null. */
  EventId position(String room) {
    return rooms.position(room);
  }

  /**
   * Records this connection's rooms in the presence directory again (after the directory had given
   * this gateway up, e.g. during a long Redis outage). Call on the executor.
   */
  public void rejoinPresence() {
    if (!closed) {
      for (String room : rooms.names()) {
        services.presence().joined(room, grant.sub(), id, grant.info());
      }
    }
  }

  /** Leaves every room; further deliveries are dropped. Idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String room : rooms.names()) {
      leave(room);
    }
  }

  private void onDelivery(Delivery delivery) {
    RoomState state = rooms.get(delivery.event().room());
    if (closed || state == null || !visible(delivery)) {
      return;
    }
    if (rooms.hold(state, delivery)) {
      return;
    }
    EventId id = delivery.event().id();
    if (state.covers(id) || state.inSnapshot(delivery.event())) {
      return; // at or before the room's start position, delivered already, or in a snapshot
    }
    state.deliveredLive(id);
    channel.sendEvent(delivery);
  }

  /**
   * Presence events reach only connections allowed to see presence (scope {@code presence}), and
   * never the user they are about: a user's own tabs do not need to hear that it joined. {@code
   * presence.updated} is the exception: every member's connections get it, the user's own included,
   * so that all of a user's tabs share one state (SPEC §11).
   */
  private boolean visible(Delivery delivery) {
    String about = delivery.presenceSub();
    return about == null
        || (grant.has(Scope.PRESENCE)
            && (!about.equals(grant.sub()) || "presence.updated".equals(delivery.event().type())));
  }

  /**
   * Joins {@code room}: held (see {@link RoomState}) until its follow answered and it is released.
   */
  RoomState join(String roomText) {
    // Every connection in a room keeps its name: one shared copy (#17, idle heap per connection).
    String room = roomText.intern();
    RoomState state = new RoomState(room);
    state.joinedAtMillis = services.clock().millis();
    state.buffer = new ArrayList<>();
    rooms.put(room, state);
    state.start = services.hub().join(room, this).toCompletableFuture();
    services.presence().joined(room, grant.sub(), id, grant.info());
    channel.roomsChanged();
    return state;
  }

  /** Leaves {@code room} and tells the client ({@code unsubscribed} with {@code reason}). */
  void leaveTelling(String room, String reason) {
    leave(room);
    channel.send(channel.replies().left(room, reason));
  }

  void leave(String room) {
    rooms.remove(room);
    services.hub().leave(room, this);
    services.presence().left(room, grant.sub(), id);
    if (!closed) {
      channel.roomsChanged();
    }
  }

  /**
   * The answer to a subscribe; {@code recovered} is false when no {@code since} was given; {@code
   * history} is the number of stored events sent after it (0 when {@code since} was recovered),
   * null when none were asked for.
   */
  public record Subscribed(String room, boolean recovered, Integer history) {}
}
