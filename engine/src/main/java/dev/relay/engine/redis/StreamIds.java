package dev.relay.engine.redis;

/** Arithmetic on Redis stream ids ({@code <millis>-<sequence>}). */
final class StreamIds {

  private StreamIds() {}

  static long millis(String id) {
    return Long.parseLong(id.substring(0, id.indexOf('-')));
  }

  static long sequence(String id) {
    return Long.parseLong(id.substring(id.indexOf('-') + 1));
  }

  /** Orders two stream ids as Redis does. */
  static int compare(String a, String b) {
    int byMillis = Long.compare(millis(a), millis(b));
    return byMillis != 0 ? byMillis : Long.compare(sequence(a), sequence(b));
  }

  /** The smallest id greater than {@code id}, for exclusive range starts. */
  static String successor(String id) {
    long millis = millis(id);
    long sequence = sequence(id);
    return sequence == Long.MAX_VALUE ? (millis + 1) + "-0" : millis + "-" + (sequence + 1);
  }
}
