package dev.relay.engine.presence;

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
 *       answers {@code false}.
 * </ul>
 *
 * <p>Thread-safe; no method blocks its caller. Redis failures complete the stage with {@link
 * dev.relay.engine.EngineUnavailableException}.
 */
public interface PresenceStore extends AutoCloseable {

  /**
   * Adds one connection of {@code sub} to {@code room} and renews {@code instanceId}'s liveness.
   * Completes with {@code true} when this made the user present (their first live connection).
   * {@code connectionId} and {@code instanceId} must not contain {@code '|'}.
   */
  default CompletionStage<Boolean> join(
      String room, String sub, String connectionId, String instanceId) {
    return enter(room, sub, connectionId, instanceId).thenApply(PresenceChange::member);
  }

  /** Removes one connection; {@code true} when it was the user's last one in the room. */
  default CompletionStage<Boolean> leave(
      String room, String sub, String connectionId, String instanceId) {
    return exit(room, sub, connectionId, instanceId).thenApply(PresenceChange::member);
  }

  /**
   * {@link #join}, also telling whether this made the room occupied: the user is its only present
   * one (connections of dead instances not yet swept still count). Once per occupation.
   */
  CompletionStage<PresenceChange> enter(
      String room, String sub, String connectionId, String instanceId);

  /**
   * {@link #leave}, also telling whether this vacated the room (no user left in it). {@link #sweep}
   * reports the same in {@link PresenceLoss#roomVacated()}; exactly one of them reports it.
   */
  CompletionStage<PresenceChange> exit(
      String room, String sub, String connectionId, String instanceId);

  /** One entry per present user, with their earliest live join time, sorted by that time. */
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

  /** How long an instance stays alive after its last heartbeat. */
  Duration instanceTtl();

  @Override
  void close();
}
