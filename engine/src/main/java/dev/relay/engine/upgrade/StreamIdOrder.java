package dev.relay.engine.upgrade;

/** The order of Redis stream entry ids {@code <millis>-<sequence>}, as Redis compares them. */
final class StreamIdOrder {

  private StreamIdOrder() {}

  /** True when {@code a} comes strictly after {@code b}; ids that do not parse are never after. */
  static boolean after(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    if (x == null || y == null) {
      return false;
    }
    int byMillis = Long.compareUnsigned(x[0], y[0]);
    return byMillis != 0 ? byMillis > 0 : Long.compareUnsigned(x[1], y[1]) > 0;
  }

  private static long[] parse(String id) {
    int dash = id.indexOf('-');
    if (dash <= 0) {
      return null;
    }
    try {
      return new long[] {
        Long.parseUnsignedLong(id.substring(0, dash)),
        Long.parseUnsignedLong(id.substring(dash + 1))
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
