package dev.relay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the secrets {@code ./relay dev} keeps in {@code .relay/dev.env} (the same lookup as the
 * CLI's {@code DevEnv}): {@code $RELAY_STATE_DIR}, else {@code .relay} under {@code relay.home} /
 * {@code $RELAY_HOME} / the working directory. Values in the real environment win over the file.
 */
final class DevEnvFile {

  private final Map<String, String> values;

  private DevEnvFile(Map<String, String> values) {
    this.values = values;
  }

  static DevEnvFile locate() {
    String explicit = System.getenv("RELAY_STATE_DIR");
    Path dir;
    if (explicit != null && !explicit.isBlank()) {
      dir = Path.of(explicit);
    } else {
      String home =
          System.getProperty("relay.home", System.getenv().getOrDefault("RELAY_HOME", "."));
      dir = Path.of(home, ".relay");
    }
    return new DevEnvFile(read(dir.resolve("dev.env")));
  }

  Optional<String> get(String name) {
    String fromEnv = System.getenv(name);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(values.get(name));
  }

  private static Map<String, String> read(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return values;
  }
}
