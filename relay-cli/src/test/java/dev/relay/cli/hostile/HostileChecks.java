package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;

/** The bounds every attack is held to (SPEC §10), checked the same way in every hostile IT. */
final class HostileChecks {

  /** What one hostile connection may cost the gateway: heap after GC plus direct memory. */
  static final long CONNECTION_MEMORY_BOUND = 2L * 1024 * 1024;

  /**
   * The same for an authenticated connection that floods while never reading: besides its 1 MiB of
   * queued pongs, reading at line rate leaves recently freed read buffers in the event loop's
   * buffer caches (Netty keeps them for reuse, and they count as in use). Measured 2.7 MiB; the
   * bound leaves room for the caches' size, which no connection can grow past.
   */
  static final long FLOODING_CONNECTION_MEMORY_BOUND = 4L * 1024 * 1024;

  /**
   * Longest message of a client-caused log line: a template of at most 100 characters plus values
   * cut to 200.
   */
  static final int LOG_MESSAGE_BOUND = 300;

  private HostileChecks() {}

  /**
   * The gateway's log lines printed during one attack: at most {@code max} of them (a repeated
   * condition is logged once per connection), each a JSON object at INFO or WARN, without a stack
   * trace, its message within {@link #LOG_MESSAGE_BOUND}.
   */
  static void logLines(SoftAssertions soft, List<JsonNode> lines, int max) {
    soft.assertThat(lines.size())
        .as("log lines printed during the attack, the first: %s", first(lines, line -> true))
        .isLessThanOrEqualTo(max);
    Predicate<JsonNode> notJson = line -> !line.isObject();
    Predicate<JsonNode> trace = line -> line.has("stack_trace");
    Predicate<JsonNode> level =
        line -> !List.of("INFO", "WARN").contains(line.path("level").asText());
    Predicate<JsonNode> tooLong =
        line -> line.path("message").asText().length() > LOG_MESSAGE_BOUND;
    soft.assertThat(first(lines, notJson)).as("a line that is not JSON").isEmpty();
    soft.assertThat(first(lines, trace)).as("a line with a stack trace").isEmpty();
    soft.assertThat(first(lines, level)).as("a line neither INFO nor WARN").isEmpty();
    soft.assertThat(first(lines, tooLong))
        .as("a message over %d chars", LOG_MESSAGE_BOUND)
        .isEmpty();
  }

  /** The first line matching {@code test}, cut to 300 characters, or "" when none does. */
  private static String first(List<JsonNode> lines, Predicate<JsonNode> test) {
    return lines.stream().filter(test).findFirst().map(HostileChecks::cut).orElse("");
  }

  private static String cut(JsonNode line) {
    String text = line.toString();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
