package dev.relay.engine.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local part of both implementations: jti → keep-until (Unix seconds) and the listeners.
 * Listeners run on {@code notifier}, once per jti. Thread-safe.
 */
final class RevokedSet {

  private static final Logger LOG = LoggerFactory.getLogger(RevokedSet.class);

  private final Map<String, Long> keepUntil = new ConcurrentHashMap<>();
  private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();
  private final Executor notifier;
  private final Duration grace;

  RevokedSet(Duration grace, Executor notifier) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    this.grace = grace;
    this.notifier = notifier;
  }

  /** The Unix second until which a token expiring at {@code exp} must stay refused. */
  long keepUntil(Instant exp) {
    return exp.plus(grace).getEpochSecond();
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * Adds {@code jti}, or extends its keep-until (never shortens it); tells the listeners if it was
   * not known yet.
   */
  void add(String jti, long untilSeconds) {
    if (untilSeconds <= nowSeconds()) {
      return;
    }
    Long before = keepUntil.putIfAbsent(jti, untilSeconds);
    if (before != null) {
      keepUntil.merge(jti, untilSeconds, Math::max);
    } else {
      for (RevocationListener listener : listeners) {
        try {
          notifier.execute(() -> notify(listener, jti));
        } catch (RejectedExecutionException e) {
          LOG.debug("store closed; listener not told about a revocation");
        }
      }
    }
  }

  boolean contains(String jti) {
    Long until = keepUntil.get(jti);
    if (until == null) {
      return false;
    }
    if (until <= nowSeconds()) {
      keepUntil.remove(jti, until);
      return false;
    }
    return true;
  }

  void addListener(RevocationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Drops entries whose keep-until has passed. */
  void prune() {
    long now = nowSeconds();
    keepUntil.values().removeIf(until -> until <= now);
  }

  private static void notify(RevocationListener listener, String jti) {
    try {
      listener.onRevoked(jti);
    } catch (RuntimeException e) {
      LOG.warn("revocation listener failed for a revoked token", e);
    }
  }
}
