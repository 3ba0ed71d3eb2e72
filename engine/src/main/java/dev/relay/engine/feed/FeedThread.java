package dev.relay.engine.feed;

import dev.relay.engine.EngineUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a {@link RoomFeed} ({@code relay-feed}), which confines all of the feed's
 * state: tasks run one at a time in the order they were handed over, and delayed retries run on it
 * too.
 *
 * <p>Thread-safety: {@link #execute} and {@link #schedule} may be called from any thread. A task
 * that throws is logged and the thread goes on with the next. After {@link #close} nothing runs:
 * {@link #execute} fails the future it was given, and pending retries are dropped.
 */
final class FeedThread implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedThread.class);

  private final ScheduledThreadPoolExecutor executor =
      new ScheduledThreadPoolExecutor(
          1,
          task -> {
            Thread t = new Thread(task, "relay-feed");
            t.setDaemon(true);
            return t;
          });

  FeedThread() {
    executor.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code task} after every task handed over before it; once closed, fails {@code
   * failOnReject} (when given) with {@link EngineUnavailableException} instead.
   */
  void execute(Runnable task, CompletableFuture<?> failOnReject) {
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.error("feed task failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      if (failOnReject != null) {
        failOnReject.completeExceptionally(new EngineUnavailableException("the feed is closed", e));
      }
    }
  }

  /** Runs {@code task} in {@code delayMillis}, unless the thread is closed by then. */
  void schedule(Runnable task, long delayMillis) {
    try {
      executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      // the feed is closing: nothing is retried
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
