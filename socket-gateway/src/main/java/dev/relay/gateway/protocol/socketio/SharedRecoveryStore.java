package dev.relay.gateway.protocol.socketio;

import dev.relay.engine.session.SessionStore;
import dev.relay.gateway.session.OutageWarning;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecoveryStore} on the engine's {@link SessionStore} (Redis in production), so a client
 * recovers its requested rooms on whichever gateway it reconnects to. Entries live for the recovery
 * window (the event retention). A store failure means "not recovered", never a partial state.
 */
final class SharedRecoveryStore implements RecoveryStore {

  private static final Logger LOG = LoggerFactory.getLogger(SharedRecoveryStore.class);
  private static final OutageWarning NOT_SAVED =
      new OutageWarning(LOG, "recovery state not saved", Duration.ofSeconds(10));
  private static final OutageWarning NOT_LOADED =
      new OutageWarning(LOG, "recovery state not loaded", Duration.ofSeconds(10));

  private final SessionStore store;
  private final Duration window;

  SharedRecoveryStore(SessionStore store, Duration window) {
    this.store = store;
    this.window = window;
  }

  @Override
  public void save(String pid, Entry entry) {
    store
        .save(pid, entry.sub(), entry.rooms().stream().sorted().toList(), window)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                NOT_SAVED.report(failure);
              }
            });
  }

  @Override
  public CompletionStage<Optional<Entry>> take(String pid) {
    if (pid == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
    }
    return store
        .load(pid)
        .thenApply(
            saved -> {
              saved.ifPresent(s -> store.delete(pid));
              return saved.map(s -> new Entry(s.sub(), new HashSet<>(s.rooms())));
            })
        .exceptionally(
            failure -> {
              NOT_LOADED.report(failure);
              return Optional.empty();
            });
  }
}
