package dev.relay.publish.events;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers that bound how long a publish waits for the store, each {@code deadline} after the
 * store was first asked: one daemon thread for the whole process that looks at the pending answers
 * every {@link #TICK}, drops the ones that are done and times out the ones that are due. A timeout
 * therefore fires between {@code deadline} and {@code deadline + TICK} after its start (plus the
 * thread's scheduling delay).
 *
 * <p>Why a tick and not one scheduled task per publish: a {@code ScheduledThreadPoolExecutor} wakes
 * its thread on every {@code schedule} that becomes the head of its queue, which under a steady
 * load is every publish (the previous answer's task was already cancelled): two futex calls and a
 * context switch per publish, about a tenth of publish-api's CPU at 200 publishes/s
 * (docs/perf-tests/README.md, #17 fourth session). {@link #bound} only appends to a lock-free
 * queue; the thread wakes on its own tick while publishes arrive and parks when none came for
 * {@link #IDLE}, so an idle process has no wake-ups. ({@code CompletableFuture.delayedExecutor} is
 * worse still: on two cores it starts a thread per task.)
 *
 * <p>Bounds: the queue holds at most the publishes bound in the last {@code deadline + TICK}, since
 * every entry leaves at the first tick after its answer is done or its deadline passed.
 *
 * <p>Thread-safety: {@link #bound} may be called from any thread; the timeout action runs on the
 * sweeper thread and must be short and never block (one that throws is logged and the others still
 * run). After {@link #close} nothing times out.
 */
public final class AnswerDeadlines implements AutoCloseable {

  /** How often pending answers are looked at while publishes arrive. */
  static final Duration TICK = Duration.ofMillis(50);

  /** How long the sweeper keeps ticking after the last pending answer left, before it parks. */
  static final Duration IDLE = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(AnswerDeadlines.class);

  private final long deadlineNanos;
  private final ConcurrentLinkedQueue<Bound> bounds = new ConcurrentLinkedQueue<>();
  private final Thread sweeper;
  private volatile boolean parked;
  private volatile boolean closed;

  private record Bound(CompletableFuture<?> answer, long dueNanos, Runnable onTimeout) {}

  public AnswerDeadlines(Duration deadline) {
    this.deadlineNanos = deadline.toNanos();
    this.sweeper = new Thread(this::sweepUntilClosed, "relay-publish-deadlines");
    sweeper.setDaemon(true);
    sweeper.start();
  }

  /**
   * Runs {@code onTimeout} once, {@code deadline} after {@code startNanos} ({@link
   * System#nanoTime}) or up to one {@link #TICK} later, unless {@code answer} is done by then.
   */
  public void bound(CompletableFuture<?> answer, long startNanos, Runnable onTimeout) {
    if (answer.isDone() || closed) {
      return;
    }
    bounds.add(new Bound(answer, startNanos + deadlineNanos, onTimeout));
    // Pairs with the sweeper's write of parked before its last look at the queue: one of the two
    // sees the other, so an entry never waits for a sweeper that parked without seeing it.
    if (parked) {
      LockSupport.unpark(sweeper);
    }
  }

  /** Entries not yet dropped or timed out (for tests: done answers leave within a tick). */
  int pending() {
    return bounds.size();
  }

  /** Whether the sweeper is parked without a tick (for tests: an idle process has no wake-ups). */
  boolean idle() {
    return parked;
  }

  @Override
  public void close() {
    closed = true;
    bounds.clear();
    LockSupport.unpark(sweeper);
  }

  private void sweepUntilClosed() {
    long lastBusy = System.nanoTime();
    while (!closed) {
      long now = System.nanoTime();
      if (sweep(now)) {
        lastBusy = now;
      }
      if (now - lastBusy < IDLE.toNanos()) {
        LockSupport.parkNanos(this, TICK.toNanos());
        continue;
      }
      parked = true;
      if (bounds.isEmpty() && !closed) {
        LockSupport.park(this);
      }
      parked = false;
      lastBusy = System.nanoTime();
    }
  }

  /** Drops done answers and times out due ones; true when there was anything to look at. */
  private boolean sweep(long now) {
    boolean any = false;
    for (Iterator<Bound> it = bounds.iterator(); it.hasNext() && !closed; ) {
      Bound bound = it.next();
      any = true;
      if (bound.answer().isDone()) {
        it.remove();
      } else if (now - bound.dueNanos() >= 0) {
        it.remove();
        try {
          bound.onTimeout().run();
        } catch (RuntimeException e) {
          LOG.warn("answer deadline action failed", e);
        }
      }
    }
    return any;
  }
}
