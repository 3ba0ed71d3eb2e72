package dev.relay.service.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One or more secret keys from a comma-separated variable (several keys allow rotation). The keys
 * never appear in {@link #toString()}.
 */
public record SecretKeys(String variable, List<String> values) {

  public SecretKeys {
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("at least one key");
    }
  }

  /**
   * Parses a comma-separated list; blanks around commas are trimmed.
   *
   * @throws ConfigException naming {@code variable} when the value is missing, empty or a key is
   *     shorter than {@code minBytes} UTF-8 bytes
   */
  public static SecretKeys parse(String variable, String raw, int minBytes) {
    String rule =
        ": set it to one or more comma-separated keys of at least " + minBytes + " characters";
    if (raw == null || raw.isBlank()) {
      throw new ConfigException(variable + " is required" + rule);
    }
    List<String> keys = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      String key = part.strip();
      if (key.isEmpty()) {
        throw new ConfigException(variable + " contains an empty key" + rule);
      }
      if (key.getBytes(StandardCharsets.UTF_8).length < minBytes) {
        throw new ConfigException(variable + " key #" + (keys.size() + 1) + " is too short" + rule);
      }
      keys.add(key);
    }
    return new SecretKeys(variable, keys);
  }

  /** The keys as UTF-8 bytes, in configured order. */
  public List<byte[]> bytes() {
    return values.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public String toString() {
    return "SecretKeys[" + variable + ", " + values.size() + " key(s), redacted]";
  }
}
