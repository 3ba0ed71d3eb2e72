package dev.relay.bench.stream;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Numbers every delta of a run and remembers when it was written to its stream: the delta's text is
 * its number and a space ({@code "417 "}), so a subscriber finds the send time from the text alone,
 * whatever the server does with nonces or ids. Thread-safe.
 */
final class DeltaClock {

  private final AtomicLongArray sent;

  DeltaClock(int capacity) {
    this.sent = new AtomicLongArray(capacity);
  }

  /** The text of delta {@code number}. */
  static String text(int number) {
    return number + " ";
  }

  void sent(int number, long nanos) {
    sent.set(number, nanos);
  }

  /** When the delta with this text was written; now if unknown (latency 0, never negative). */
  long sentNanos(String deltaText) {
    if (deltaText == null) {
      return System.nanoTime();
    }
    int number = 0;
    for (int i = 0; i < deltaText.length() && Character.isDigit(deltaText.charAt(i)); i++) {
      number = number * 10 + (deltaText.charAt(i) - '0');
    }
    long at = number < sent.length() ? sent.get(number) : 0;
    return at == 0 ? System.nanoTime() : at;
  }
}
