package dev.relay.engine.feed;

import dev.relay.engine.EngineUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a {@link RoomFeed}, which confines all of the feed's state: tasks run one at a
 * time in the order they were handed over, and delayed retries run on it too. It is either a thread
 * of its own ({@code relay-feed}) or a given single-threaded executor the feed shares, such as the
 * event loop that reads the feed's Redis connections: then a message read there reaches the feed
 * without waking another thread (docs/perf-tests/README.md, #17).
 *
 * <p>Thread-safety: {@link #execute} and {@link #schedule} may be called from any thread. A task
 * that throws is logged and the thread goes on with the next. After {@link #close} nothing more
 * runs, also of what was handed over before: {@link #execute} fails the future it was given, and
 * pending retries are dropped. A shared executor is not shut down by {@link #close}; one that is
 * shutting down counts as closed.
 */
final class FeedThread implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeedThread.class);

  private final ScheduledExecutorService executor;
  private final boolean owned;
  private volatile boolean closed;

  /** A thread of its own. */
  FeedThread() {
    ScheduledThreadPoolExecutor own =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread t = new Thread(task, "relay-feed");
              t.setDaemon(true);
              return t;
            });
    own.setRemoveOnCancelPolicy(true);
    this.executor = own;
    this.owned = true;
  }

  /**
   * Tasks run on {@code shared}, which must run them one at a time in submission order (a Netty
   * event loop does); it stays its owner's to shut down.
   */
  FeedThread(ScheduledExecutorService shared) {
    this.executor = shared;
    this.owned = false;
  }

  /**
   * Runs {@code task} after every task handed over before it; once closed, fails {@code
   * failOnReject} (when given) with {@link EngineUnavailableException} instead.
   */
  void execute(Runnable task, CompletableFuture<?> failOnReject) {
    RejectedExecutionException rejected = null;
    if (!closed) {
      try {
        executor.execute(() -> run(task));
        return;
      } catch (RejectedExecutionException e) {
        rejected = e;
      }
    }
    if (failOnReject != null) {
      failOnReject.completeExceptionally(
          new EngineUnavailableException("the feed is closed", rejected));
    }
  }

  /** Runs {@code task} in {@code delayMillis}, unless the thread is closed by then. */
  void schedule(Runnable task, long delayMillis) {
    if (closed) {
      return;
    }
    try {
      executor.schedule(() -> run(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      // the feed is closing: nothing is retried
    }
  }

  private void run(Runnable task) {
    if (closed) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("feed task failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (owned) {
      executor.shutdownNow();
    }
  }
}
