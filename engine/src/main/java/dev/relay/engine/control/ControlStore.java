package dev.relay.engine.control;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Server-side control of users (SPEC §11: {@code POST /v1/rooms/{room}/unsubscribe}, {@code POST
 * /v1/users/{sub}/disconnect}), shared by every instance: publish-api and the admin API record a
 * signal, every gateway applies it to its connections.
 *
 * <p>Guarantees, for every implementation:
 *
 * <ul>
 *   <li>{@link #removedAt} is answered from a local copy, never with a round trip, so it is safe on
 *       the subscribe and connect paths and keeps answering while Redis is down.
 *   <li>Once {@link #remove} or {@link #disconnect} completed, this instance knows it at once;
 *       every other started instance learns it within about a second while Redis is reachable
 *       (Pub/Sub), when its Pub/Sub connection comes back (it then reloads every record), or at the
 *       latest at the next periodic reload.
 *   <li>Each listener hears each record once per instance, whichever way it was learnt, in no
 *       particular order between records.
 *   <li>A removal is kept for {@link #removalKeep()} (the longest a token issued before it can
 *       still be accepted: token lifetime plus skew), a disconnect for {@link #DISCONNECT_KEEP}
 *       (long enough to reach an instance that reconnects to Redis). At most {@link #MAX_RECORDS}
 *       of each kind are kept; beyond that the oldest go first (documented in docs/security.md).
 *   <li>Times are the store's clock (Redis {@code TIME}), so instances with skewed clocks agree.
 * </ul>
 *
 * <p>Thread-safe; no method blocks its caller. Redis failures complete the stage with {@link
 * dev.relay.engine.EngineUnavailableException}.
 */
public interface ControlStore extends AutoCloseable {

  /** The most removal records, and the most disconnect records, kept at once. */
  int MAX_RECORDS = 100_000;

  /** How long a disconnect record is kept for instances that missed its Pub/Sub message. */
  Duration DISCONNECT_KEEP = Duration.ofSeconds(60);

  /** The longest {@code sub} a control record carries, in characters. */
  int MAX_SUB_LENGTH = 256;

  /**
   * Loads the current records and starts following new ones. Fails with {@link
   * dev.relay.engine.EngineUnavailableException} when the store cannot be reached; it keeps trying
   * in the background.
   */
  CompletionStage<Void> start();

  /**
   * Removes {@code sub} from {@code room} now; completes with the removal time (Unix ms). A later
   * removal of the same pair replaces the earlier one.
   */
  CompletionStage<Long> remove(String room, String sub);

  /** Asks every connection of {@code sub} to close with {@code code}; completes with its time. */
  CompletionStage<Long> disconnect(String sub, int code);

  /**
   * When {@code sub} was last removed from {@code room} (Unix ms), or 0 when no removal is kept: a
   * token issued before that time must not join the room again.
   */
  long removedAt(String room, String sub);

  /** How long a removal is kept. */
  Duration removalKeep();

  /** Adds a listener for records learnt from now on. */
  void addListener(ControlListener listener);

  @Override
  void close();
}
