package dev.relay.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The state {@code ./relay dev} shares with the other commands: {@code .relay/dev.env}
 * (git-ignored, owner-only permissions) with the generated API key, signing secret and URL, so that
 * {@code ./relay token}, {@code publish} and {@code tail} in another terminal work against it.
 * Values in the real environment always win over the file.
 */
final class DevEnv {

  static final String FILE = "dev.env";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  DevEnv(Path dir) {
    this.dir = dir;
  }

  /** {@code $RELAY_STATE_DIR}, else {@code .relay} under the launcher's directory (or cwd). */
  static DevEnv locate() {
    String explicit = System.getenv("RELAY_STATE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return new DevEnv(Path.of(explicit));
    }
    String home = System.getProperty("relay.home", System.getenv().getOrDefault("RELAY_HOME", "."));
    return new DevEnv(Path.of(home, ".relay"));
  }

  Path file() {
    return dir.resolve(FILE);
  }

  /** The value from the environment, else from {@code dev.env}. */
  Optional<String> get(String name) {
    String fromEnv = System.getenv(name);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv);
    }
    return Optional.ofNullable(read().get(name));
  }

  /** Reads {@code dev.env}, creating missing secrets; returns the values. */
  Map<String, String> loadOrCreate(String url) {
    Map<String, String> values = read();
    values.putIfAbsent("RELAY_API_KEY", "dev_" + randomToken(32));
    values.putIfAbsent("JWT_SIGNING_SECRET", randomToken(48));
    values.put("RELAY_URL", url);
    write(values);
    return values;
  }

  private Map<String, String> read() {
    Map<String, String> values = new LinkedHashMap<>();
    Path file = file();
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

  private void write(Map<String, String> values) {
    StringBuilder text =
        new StringBuilder(
            "# Written by ./relay dev. Local development secrets only; never commit.\n");
    values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      Files.createDirectories(dir);
      Files.writeString(file(), text);
      try {
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps the default permissions
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(), e);
    }
  }

  private static String randomToken(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
  }
}
