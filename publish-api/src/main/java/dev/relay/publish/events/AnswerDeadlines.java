package dev.relay.publish.events;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timers that bound how long a publish waits for the store, each {@link #deadline} after the
 * store was first asked: one daemon thread for the whole process, and each timer is cancelled (and
 * removed from the queue) as soon as its answer is done.
 *
 * <p>Why not {@code CompletableFuture.delayedExecutor}: it keeps every task until its delay ends,
 * even when the answer came long before, and on a machine with two cores it runs each one on a new
 * thread (its default pool has one thread or fewer), so it cost one thread start per publish.
 *
 * <p>Thread-safety: {@link #bound} may be called from any thread; the timeout action runs on the
 * timer thread and must be short and never block. After {@link #close} nothing times out.
 */
public final class AnswerDeadlines implements AutoCloseable {

  private final Duration deadline;
  private final ScheduledThreadPoolExecutor timer;

  public AnswerDeadlines(Duration deadline) {
    this.deadline = deadline;
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread t = new Thread(task, "relay-publish-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code onTimeout} at {@link #deadline} after {@code startNanos} ({@link System#nanoTime})
   * unless {@code answer} is done by then; a done answer cancels its timer at once.
   */
  public void bound(CompletableFuture<?> answer, long startNanos, Runnable onTimeout) {
    if (answer.isDone()) {
      return;
    }
    long remaining = deadline.toNanos() - (System.nanoTime() - startNanos);
    ScheduledFuture<?> timeout;
    try {
      timeout = timer.schedule(onTimeout, Math.max(0, remaining), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return;
    }
    answer.whenComplete((value, error) -> timeout.cancel(false));
  }

  /** Timers still pending (for tests: a done answer leaves none). */
  int pending() {
    return timer.getQueue().size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
