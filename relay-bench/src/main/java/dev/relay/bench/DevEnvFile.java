package dev.relay.bench;

import java.util.Optional;
import java.util.function.Function;

/**
 * Where the bench finds Relay's URL and secrets when no option names them. Inside the launcher the
 * CLI installs its own lookup ({@link #use}: the environment, then the state of the chosen {@code
 * ./relay dev}, docs/cli.md), so the bench finds Relay exactly as {@code ./relay publish} does.
 * Without it: the environment alone.
 */
public final class DevEnvFile {

  private static volatile Function<String, Optional<String>> installed;

  private DevEnvFile() {}

  /** Replaces the lookup: {@code lookup} answers a variable's value (empty: unknown). */
  public static void use(Function<String, Optional<String>> lookup) {
    installed = lookup;
  }

  static DevEnvFile locate() {
    return new DevEnvFile();
  }

  Optional<String> get(String name) {
    Function<String, Optional<String>> lookup = installed;
    if (lookup != null) {
      return lookup.apply(name);
    }
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }
}
