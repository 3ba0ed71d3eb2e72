package dev.relay.service.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration by environment variable name ({@code RELAY_API_KEY}) and turns bad values
 * into a {@link ConfigException} that names the variable. Framework-free: the lookup is a function,
 * which in a service is backed by Micronaut's {@code Environment}, where the variable {@code
 * RELAY_API_KEY} is also the property {@code relay.api.key} (see {@link #propertyName}).
 *
 * <p>Blank values count as absent. Error messages never include the rejected value, so a secret set
 * in the wrong variable cannot leak into a log.
 */
public final class EnvConfig {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private final Function<String, Optional<String>> properties;

  /**
   * @param properties looks up a property by its dotted name ({@code relay.api.key})
   */
  public EnvConfig(Function<String, Optional<String>> properties) {
    this.properties = properties;
  }

  /** {@code RELAY_API_KEY} → {@code relay.api.key}, the Micronaut property of the same value. */
  public static String propertyName(String variable) {
    return variable.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public Optional<String> get(String variable) {
    return properties
        .apply(propertyName(variable))
        .map(String::strip)
        .filter(value -> !value.isEmpty());
  }

  /** A comma-separated list (blanks trimmed, empty items dropped); empty when unset. */
  public List<String> list(String variable) {
    return get(variable)
        .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** The value, or a {@link ConfigException} "{@code VARIABLE is required: <hint>}". */
  public String required(String variable, String hint) {
    return get(variable).orElseThrow(() -> new ConfigException(variable + " is required: " + hint));
  }

  public int integer(String variable, int defaultValue, int min, int max) {
    Optional<String> raw = get(variable);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new ConfigException(variable + " must be a whole number between " + min + " and " + max);
  }

  public boolean flag(String variable, boolean defaultValue) {
    Optional<String> raw = get(variable);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(variable + " must be true or false");
    };
  }

  /**
   * A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601
   * {@code PT5M}, at least {@code min}.
   */
  public Duration duration(String variable, Duration defaultValue, Duration min) {
    Optional<String> raw = get(variable);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    Duration value = parseDuration(raw.get());
    if (value == null || value.compareTo(min) < 0) {
      throw new ConfigException(
          variable + " must be a duration of at least " + min + " such as 30s, 5m or 2h");
    }
    return value;
  }

  /** A comma-separated list of secret keys, each at least {@code minBytes} long; required. */
  public SecretKeys secrets(String variable, int minBytes) {
    return SecretKeys.parse(variable, get(variable).orElse(null), minBytes);
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
