package dev.relay.engine.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A token bucket: holds at most {@code capacity} tokens (the burst) and gains {@code refill} tokens
 * every {@code period}, continuously (a fraction at a time), up to the capacity.
 *
 * @param capacity the burst, at least 1
 * @param refill tokens added per {@code period}, at least 1
 * @param period the refill period, at least 1 ms
 */
public record Limit(long capacity, long refill, Duration period) {

  public Limit {
    Objects.requireNonNull(period, "period");
    if (capacity < 1 || refill < 1 || period.toMillis() < 1) {
      throw new IllegalArgumentException(
          "a limit needs capacity >= 1, refill >= 1 and period >= 1 ms: " + this);
    }
  }

  /** {@code n} per second, burst {@code n}. */
  public static Limit perSecond(long n) {
    return new Limit(n, n, Duration.ofSeconds(1));
  }

  /** {@code n} per minute, burst {@code n}. */
  public static Limit perMinute(long n) {
    return new Limit(n, n, Duration.ofMinutes(1));
  }

  /** The same refill with another burst (e.g. 100/s with burst 200). */
  public Limit withBurst(long burst) {
    return new Limit(burst, refill, period);
  }

  /** Tokens gained per millisecond. */
  public double tokensPerMilli() {
    return (double) refill / period.toMillis();
  }

  /**
   * A rate written {@code N/s}, {@code N/min} or {@code N/h}: a bucket of N that refills N per
   * period (configuration values such as {@code RELAY_CONNECT_LIMIT_PER_SUB=30/min}).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Limit parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("rate must look like 10/min: " + t);
    }
    long count;
    try {
      count = Long.parseLong(t.substring(0, slash).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate must look like 10/min: " + t, e);
    }
    if (count < 1) {
      throw new IllegalArgumentException("rate must allow at least 1: " + t);
    }
    Duration per =
        switch (t.substring(slash + 1).strip()) {
          case "s" -> Duration.ofSeconds(1);
          case "min" -> Duration.ofMinutes(1);
          case "h" -> Duration.ofHours(1);
          default -> throw new IllegalArgumentException("rate period must be s, min or h: " + t);
        };
    return new Limit(count, count, per);
  }
}
