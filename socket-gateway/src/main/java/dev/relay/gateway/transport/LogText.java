package dev.relay.gateway.transport;

/**
 * How client-controlled text enters a log line (SPEC §10): at most {@value #MAX} characters, with
 * control characters replaced, so a client can neither flood a line nor forge another one.
 */
public final class LogText {

  public static final int MAX = 200;

  private LogText() {}

  /** {@code value} cut to {@value #MAX} characters, control characters as {@code ?}; null stays. */
  public static String cut(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    int length = Math.min(text.length(), MAX);
    StringBuilder out = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    if (text.length() > MAX) {
      out.append('…');
    }
    return out.toString();
  }
}
