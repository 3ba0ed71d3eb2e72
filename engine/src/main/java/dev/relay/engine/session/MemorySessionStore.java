package dev.relay.engine.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link SessionStore} for one process. Expired sessions are dropped when read and, so the map
 * cannot grow without bound, on every save. Thread-safe without locks; calls complete at once.
 */
public final class MemorySessionStore implements SessionStore {

  private record Entry(SavedSession session, long deadlineMillis) {}

  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> save(String pid, String sub, List<String> rooms, Duration ttl) {
    RedisSessionStore.requireTtl(ttl);
    long now = System.currentTimeMillis();
    sessions.values().removeIf(entry -> entry.deadlineMillis() <= now);
    sessions.put(pid, new Entry(new SavedSession(sub, rooms), now + ttl.toMillis()));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<SavedSession>> load(String pid) {
    Entry entry = sessions.get(pid);
    if (entry == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (entry.deadlineMillis() <= System.currentTimeMillis()) {
      sessions.remove(pid, entry);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(entry.session()));
  }

  @Override
  public CompletionStage<Void> delete(String pid) {
    sessions.remove(pid);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    sessions.clear();
  }
}
