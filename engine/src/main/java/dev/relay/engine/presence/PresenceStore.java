package dev.relay.engine.presence;

import dev.relay.contracts.protocol.ClientMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Who is in a room, across every gateway instance (SPEC §7). A member is a user ({@code sub}); a
 * user may hold several connections in a room (tabs, devices), on one or several instances.
 *
 * <p>Guarantees, for every implementation:
 *
 * <ul>
 *   <li>{@link #join} answers {@code true} for exactly one of the connections that make a user
 *       present, even when two of them join at once on two instances; {@link #leave} and {@link
 *       #sweep} together report exactly once that a user's last connection went. The gateway emits
 *       {@code presence.joined} / {@code presence.left} on those answers, so each is emitted once.
 *   <li>A connection counts only while its instance is alive: an instance is alive until {@link
 *       #instanceTtl()} after its last {@link #heartbeat} or {@link #join}. {@link #members} leaves
 *       out connections of dead instances at once; {@link #sweep} removes them and reports the
 *       users who thereby left. With a sweep every {@code s}, a crashed gateway's members are gone
 *       from {@link #members} after the TTL, and reported within TTL + {@code s}.
 *   <li>Re-joining a connection already present, or leaving one that is not, changes nothing and
 *       answers {@code false} (a re-join still records its {@code info}).
 *   <li>Info and state (SPEC §11): one value of each per (room, user), shared by all the user's
 *       connections on every instance. {@code info} is the one given by the user's latest {@link
 *       #join} (null clears it); {@code state} is the last one {@link #setState set}. Both are
 *       removed when the user's last connection leaves or is swept, so a user who comes back starts
 *       without state. Each is at most {@link #MAX_DATA_BYTES} bytes (UTF-8), checked here too.
 * </ul>
 *
 * <p>Thread-safe; no method blocks its caller. Redis failures complete the stage with {@link
 * dev.relay.engine.EngineUnavailableException}.
 */
public interface PresenceStore extends AutoCloseable {

  /** The largest {@code info} or {@code state} stored for a member, in UTF-8 bytes (SPEC §11). */
  int MAX_DATA_BYTES = ClientMessageDecoder.MAX_PRESENCE_DATA;

  /**
   * Adds one connection of {@code sub} to {@code room} and renews {@code instanceId}'s liveness.
   * Completes with {@code true} when this made the user present (their first live connection).
   * {@code connectionId} and {@code instanceId} must not contain {@code '|'}.
   */
  default CompletionStage<Boolean> join(
      String room, String sub, String connectionId, String instanceId) {
    return join(room, sub, connectionId, instanceId, null);
  }

  /**
   * As {@link #join(String, String, String, String)}, and records {@code info} (a JSON object of at
   * most {@link #MAX_DATA_BYTES} bytes, or null for none) as the user's info in the room, replacing
   * the one of an earlier join.
   *
   * @throws IllegalArgumentException (in the stage) when {@code info} is too large
   */
  default CompletionStage<Boolean> join(
      String room, String sub, String connectionId, String instanceId, String info) {
    return enter(room, sub, connectionId, instanceId, info).thenApply(PresenceChange::member);
  }

  /**
   * Sets the user's {@code state} in the room (a JSON object of at most {@link #MAX_DATA_BYTES}
   * bytes), replacing the previous one. Completes with {@code false}, storing nothing, when the
   * user has no connection in the room.
   */
  CompletionStage<Boolean> setState(String room, String sub, String state);

  /** Removes one connection; {@code true} when it was the user's last one in the room. */
  default CompletionStage<Boolean> leave(
      String room, String sub, String connectionId, String instanceId) {
    return exit(room, sub, connectionId, instanceId).thenApply(PresenceChange::member);
  }

  /**
   * {@link #join}, also telling whether this made the room occupied: the user is its only present
   * one (connections of dead instances not yet swept still count). Once per occupation.
   */
  default CompletionStage<PresenceChange> enter(
      String room, String sub, String connectionId, String instanceId) {
    return enter(room, sub, connectionId, instanceId, null);
  }

  /**
   * {@link #enter(String, String, String, String)} recording {@code info} as {@link #join} does.
   */
  CompletionStage<PresenceChange> enter(
      String room, String sub, String connectionId, String instanceId, String info);

  /**
   * {@link #leave}, also telling whether this vacated the room (no user left in it). {@link #sweep}
   * reports the same in {@link PresenceLoss#roomVacated()}; exactly one of them reports it.
   */
  CompletionStage<PresenceChange> exit(
      String room, String sub, String connectionId, String instanceId);

  /**
   * One entry per present user, with their earliest live join time, info and state, sorted by that
   * time, then by sub.
   */
  CompletionStage<List<PresenceMember>> members(String room);

  /**
   * Renews the instance's liveness; call it every third of the TTL or more often. Completes with
   * {@code false} when the instance had already been considered dead (a long pause): its
   * connections may have been swept, and the caller should {@link #join} them again.
   */
  CompletionStage<Boolean> heartbeat(String instanceId);

  /**
   * Removes connections of dead instances, at most {@code maxRooms} rooms' worth per call, and
   * reports each user whose last connection in a room went that way. Every loss is reported by
   * exactly one call, on whichever instance makes it. Safe to run on every instance at once.
   */
  CompletionStage<List<PresenceLoss>> sweep(int maxRooms);

  /** The most rooms one {@link #rooms} page holds. */
  int MAX_ROOMS_PAGE = 1000;

  /**
   * Occupied rooms, cluster-wide: those whose name starts with {@code prefix} ("" for all) and
   * comes after {@code after} (exclusive; null for the first page), in byte order of their names,
   * at most {@code limit} (1 to {@link #MAX_ROOMS_PAGE}). A room is listed while it has a present
   * user; users of a dead instance count until swept. The index behind it is kept in the same
   * atomic step as {@link #enter}, {@link #exit} and {@link #sweep}, so a room is listed exactly
   * between its occupation and its vacancy. Pages are consistent per room, not a snapshot: a room
   * occupied or vacated while paging may or may not appear.
   */
  CompletionStage<RoomPage> rooms(String prefix, String after, int limit);

  /** How long an instance stays alive after its last heartbeat. */
  Duration instanceTtl();

  @Override
  void close();
}
