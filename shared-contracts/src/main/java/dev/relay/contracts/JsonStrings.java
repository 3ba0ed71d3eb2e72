package dev.relay.contracts;

/**
 * JSON string literals, written exactly as Jackson's default generator writes them: {@code "} and
 * {@code \} escaped with a backslash, the control characters below U+0020 as {@code \b \t \n \f \r}
 * or {@code \}{@code u00XX} (upper-case hex), everything else (non-ASCII, {@code /}, DEL, unpaired
 * surrogates) as is. The one home of that rule for the envelope's hand-written parts, so an
 * envelope written here and one written by Jackson are the same bytes ({@code
 * JsonStringsPropertyTest} compares the two).
 *
 * <p>Why by hand: a publish encodes one envelope and every event read quotes one id, and a Jackson
 * generator allocates its own writer, context and buffers for each. Envelope encoding was 4.0 of
 * the 17.4 KB publish-api allocated per publish, 3.1 KB by hand (docs/perf-tests/README.md, #17
 * seventh session). Thread-safe (stateless).
 */
public final class JsonStrings {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonStrings() {}

  /** Appends {@code text} as a JSON string literal, quotes included; returns {@code out}. */
  public static StringBuilder appendQuoted(StringBuilder out, String text) {
    out.append('"');
    int plain = 0; // start of the run of characters that need no escape
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(text, plain, i);
      plain = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.append(text, plain, text.length()).append('"');
  }
}
