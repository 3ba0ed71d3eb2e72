package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/** The bounds every attack is held to (SPEC §10), checked the same way in every hostile IT. */
final class HostileChecks {

  /** What one hostile connection may cost the gateway: heap after GC plus direct memory. */
  static final long CONNECTION_MEMORY_BOUND = 2L * 1024 * 1024;

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
    soft.assertThat(lines).as("log lines printed during the attack").hasSizeLessThanOrEqualTo(max);
    for (JsonNode line : lines) {
      soft.assertThat(line.isObject()).as("a JSON log line: %s", cut(line)).isTrue();
      soft.assertThat(line.has("stack_trace")).as("stack trace in %s", cut(line)).isFalse();
      soft.assertThat(line.path("level").asText())
          .as("level of %s", cut(line))
          .isIn("INFO", "WARN");
      soft.assertThat(line.path("message").asText().length())
          .as("message length of %s", cut(line))
          .isLessThanOrEqualTo(LOG_MESSAGE_BOUND);
    }
  }

  private static String cut(JsonNode line) {
    String text = line.toString();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
