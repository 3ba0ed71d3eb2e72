package dev.relay.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The state each {@code ./relay dev} shares with the other commands: one file per port, {@code
 * .relay/dev-<port>.env} (git-ignored, owner-only), holding the URL, the generated API key and
 * signing secret, the token lifetime limit and the server's process id.
 *
 * <p>Guarantees: a file is written only after its server is listening, atomically (a reader never
 * sees half a file), so a failed start changes nothing; a server restarted on the same port reuses
 * its secrets, so tokens minted before the restart stay valid. A file whose process is gone is
 * "stale": kept for the secrets, but never chosen by {@link #running()}.
 */
final class DevState {

  static final String PID = "RELAY_DEV_PID";
  private static final Pattern FILE = Pattern.compile("dev-(\\d{1,5})\\.env");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  DevState(Path dir) {
    this.dir = dir;
  }

  /**
   * {@code $RELAY_STATE_DIR}, else {@code .relay} under the checkout ({@code -Drelay.home}, else
   * {@code $RELAY_HOME}, which the launcher sets, else the working directory).
   */
  static DevState locate() {
    String explicit = System.getenv("RELAY_STATE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return new DevState(Path.of(explicit));
    }
    String home = System.getProperty("relay.home", System.getenv().getOrDefault("RELAY_HOME", "."));
    return new DevState(Path.of(home, ".relay"));
  }

  Path file(int port) {
    return dir.resolve("dev-" + port + ".env");
  }

  /** The secrets of the last server on {@code port}, or new ones; nothing is written. */
  Map<String, String> secretsFor(int port) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> previous = read(file(port));
    values.put("RELAY_API_KEY", previous.getOrDefault("RELAY_API_KEY", "dev_" + randomToken(32)));
    values.put("JWT_SIGNING_SECRET", previous.getOrDefault("JWT_SIGNING_SECRET", randomToken(48)));
    return values;
  }

  /** Writes the state of a started server (replacing the file in one step). */
  void write(int port, Map<String, String> values) {
    StringBuilder text =
        new StringBuilder("# Written by ./relay dev on port " + port + ". Local secrets only.\n");
    values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append(PID).append('=').append(ProcessHandle.current().pid()).append('\n');
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "dev-" + port, ".tmp");
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps the default permissions
      }
      Files.writeString(temp, text);
      Files.move(temp, file(port), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(port), e);
    }
  }

  /** The state of the server on {@code port}, if one ever ran there. */
  Optional<Map<String, String>> forPort(int port) {
    Map<String, String> values = read(file(port));
    return values.isEmpty() ? Optional.empty() : Optional.of(values);
  }

  /** Ports of dev servers whose process is still alive, in port order. */
  List<Integer> running() {
    List<Integer> ports = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return ports;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> FILE.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .sorted()
          .filter(port -> alive(read(file(port)).get(PID)))
          .forEach(ports::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return ports;
  }

  private static boolean alive(String pid) {
    try {
      return pid != null
          && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
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

  private static String randomToken(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
  }
}
