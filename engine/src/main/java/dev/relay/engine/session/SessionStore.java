package dev.relay.engine.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What a Socket.IO connection needs to be restored on any gateway after a drop (connection state
 * recovery, SPEC §6): its user and rooms, under the private session id ({@code pid}) the client
 * sends back.
 *
 * <p>Guarantees: a saved session can be loaded on every instance sharing the store until its TTL
 * (the recovery window, by default the event retention) has passed, and never after. Saving again
 * replaces the session and restarts its TTL. Thread-safe; no method blocks its caller; Redis
 * failures complete the stage with {@link dev.relay.engine.EngineUnavailableException}.
 */
public interface SessionStore extends AutoCloseable {

  /**
   * Stores (or replaces) the session for {@code ttl}, at least 1 ms. Room names must not contain a
   * line break.
   */
  CompletionStage<Void> save(String pid, String sub, List<String> rooms, Duration ttl);

  /** The session, or empty when there is none or its TTL has passed. */
  CompletionStage<Optional<SavedSession>> load(String pid);

  /** Forgets the session; completes normally whether or not there was one. */
  CompletionStage<Void> delete(String pid);

  @Override
  void close();
}
