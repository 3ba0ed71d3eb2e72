package dev.relay.engine.revocation;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Revoked token ids ({@code jti}, SPEC §4 and {@code POST /admin/revocations}), shared by every
 * instance.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>{@link #isRevoked} is answered from a local set, never with a round trip, so it is safe on
 *       the connection hot path and keeps answering while Redis is down.
 *   <li>Once {@link #revoke} completes, this instance answers {@code true} at once; every other
 *       started instance learns it within about a second while Redis is reachable (Pub/Sub), or
 *       when its Redis connection comes back (it then reloads the whole set), or at the latest at
 *       the next periodic reload.
 *   <li>Each listener hears each revoked jti once per instance, whichever way it was learnt, on an
 *       internal thread; a listener must not block.
 *   <li>A jti is kept until its token's {@code exp} plus a grace (default 30 s, the accepting skew
 *       of SPEC §4), so a just-expired token that is still accepted stays refused. A revocation
 *       whose keep-until time has already passed stores nothing.
 * </ul>
 *
 * <p>Thread-safe; no method blocks its caller.
 */
public interface RevocationStore extends AutoCloseable {

  /**
   * Loads the current set and starts following new revocations. Fails with {@link
   * dev.relay.engine.EngineUnavailableException} when the store cannot be reached; it keeps trying
   * in the background and then loads the set.
   */
  CompletionStage<Void> start();

  /**
   * Revokes {@code jti} until {@code exp} (plus the grace). Completes with {@code true} when
   * stored, {@code false} when it had already expired.
   */
  CompletionStage<Boolean> revoke(String jti, Instant exp);

  /** Whether {@code jti} is revoked, from the local set. */
  boolean isRevoked(String jti);

  /** Adds a listener for jtis revoked from now on (e.g. to close live connections using them). */
  void addListener(RevocationListener listener);

  @Override
  void close();
}
