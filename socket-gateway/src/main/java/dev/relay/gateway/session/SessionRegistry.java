package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every live session of this gateway, by connection id. {@link #expireTokens} closes connections
 * whose token expired unrefreshed with 4008 {@code token_expired}; the gateway calls it about once
 * a second, so a connection outlives its token by at most that period. Thread-safe.
 */
public final class SessionRegistry {

  /** A registered session and the way to close its connection. */
  public record Entry(ClientSession session, ClientChannel channel) {}

  private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> perSub = new ConcurrentHashMap<>();
  private final Clock clock;

  public SessionRegistry(Clock clock) {
    this.clock = clock;
  }

  public void add(ClientSession session, ClientChannel channel) {
    if (sessions.put(session.id(), new Entry(session, channel)) == null) {
      perSub.merge(session.sub(), 1, Integer::sum);
    }
  }

  public void remove(ClientSession session) {
    if (sessions.remove(session.id()) != null) {
      perSub.computeIfPresent(session.sub(), (sub, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** How many connections {@code sub} has open on this gateway. */
  public int connectionsOf(String sub) {
    return perSub.getOrDefault(sub, 0);
  }

  public int size() {
    return sessions.size();
  }

  public Optional<Entry> find(String connectionId) {
    return Optional.ofNullable(sessions.get(connectionId));
  }

  public Collection<Entry> all() {
    return sessions.values();
  }

  /** Closes every connection whose token has expired; returns how many. */
  public int expireTokens() {
    long now = clock.millis();
    int closed = 0;
    for (Entry e : sessions.values()) {
      if (e.session().expiresAtMillis() <= now) {
        closeOnItsExecutor(e, CloseCodes.TOKEN_EXPIRED, ErrorCodes.TOKEN_EXPIRED);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Closes every connection whose entry matches {@code filter}, with the given close code. The
   * filter runs on each connection's own executor, so it may read the session's confined state (its
   * rooms).
   */
  public void closeWhere(Predicate<Entry> filter, int code, String reason) {
    for (Entry e : sessions.values()) {
      e.channel()
          .executor()
          .execute(
              () -> {
                if (filter.test(e)) {
                  e.channel().close(code, reason);
                }
              });
    }
  }

  private static void closeOnItsExecutor(Entry e, int code, String reason) {
    e.channel().executor().execute(() -> e.channel().close(code, reason));
  }
}
