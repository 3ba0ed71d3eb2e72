package dev.relay.gateway.session;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that every connection would repeat while a shared store is down (e.g. "presence leave
 * not recorded" for each of 10,000 connections closed at shutdown): the first one is logged, the
 * ones within the next {@code interval} are only counted, and the next one logged after that says
 * how many were left out. So an outage costs one line per interval, and no failure goes uncounted.
 *
 * <p>Thread-safe and lock-free; {@link #report} never blocks.
 */
public final class OutageWarning {

  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAt;
  private final AtomicInteger leftOut = new AtomicInteger();

  /** Logs {@code what} to {@code log} at most once per {@code interval}. */
  public OutageWarning(Logger log, String what, Duration interval) {
    this(log, what, interval, System::nanoTime);
  }

  OutageWarning(Logger log, String what, Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAt = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Reports one failure: logs it at WARN when the interval since the last logged one has passed,
   * with the number left out since; otherwise only counts it. Answers whether it was logged.
   */
  public boolean report(Throwable failure) {
    long now = nanoTime.getAsLong();
    long due = nextAt.get();
    if (now - due < 0 || !nextAt.compareAndSet(due, now + intervalNanos)) {
      leftOut.incrementAndGet();
      return false;
    }
    int skipped = leftOut.getAndSet(0);
    if (skipped == 0) {
      log.warn("{}: {}", what, failure.toString());
    } else {
      log.warn("{}: {} ({} more since the last such line)", what, failure.toString(), skipped);
    }
    return true;
  }
}
