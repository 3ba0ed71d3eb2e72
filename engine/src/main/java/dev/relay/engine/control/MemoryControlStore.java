package dev.relay.engine.control;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link ControlStore} for one process (dev mode, tests): the local records are the whole store.
 * Listeners run on the daemon thread {@code relay-control}, in signal order.
 */
public final class MemoryControlStore implements ControlStore {

  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "relay-control");
            thread.setDaemon(true);
            return thread;
          });
  private final ControlRecords records;
  private long last;

  /**
   * @param removalKeep how long a removal is kept (token lifetime plus skew, default 330 s)
   */
  public MemoryControlStore(Duration removalKeep) {
    this.records = new ControlRecords(removalKeep, notifier);
  }

  @Override
  public CompletionStage<Void> start() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Long> remove(String room, String sub) {
    long at = now();
    records.removed(ControlRecords.removalKey(room, sub), at);
    return CompletableFuture.completedFuture(at);
  }

  @Override
  public CompletionStage<Long> disconnect(String sub, int code) {
    long at = now();
    records.disconnected(ControlRecords.disconnectKey(code, sub), at);
    return CompletableFuture.completedFuture(at);
  }

  @Override
  public long removedAt(String room, String sub) {
    return records.removedAt(room, sub);
  }

  @Override
  public Duration removalKeep() {
    return records.removalKeep();
  }

  @Override
  public void addListener(ControlListener listener) {
    records.addListener(listener);
  }

  @Override
  public void close() {
    notifier.shutdown();
  }

  /** Strictly increasing milliseconds, so two signals in one millisecond are both new. */
  private synchronized long now() {
    last = Math.max(last + 1, System.currentTimeMillis());
    return last;
  }
}
