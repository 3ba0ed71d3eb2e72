package dev.relay.cli;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where {@code token}, {@code publish}, {@code tail} and {@code env} find Relay and its secrets.
 * One rule, in this order (docs/cli.md):
 *
 * <ol>
 *   <li>a variable in the environment ({@code RELAY_URL}, {@code RELAY_GATEWAY_URL}, {@code
 *       RELAY_API_KEY}, {@code JWT_SIGNING_SECRET}, {@code RELAY_TOKEN_MAX_LIFETIME}) always wins;
 *   <li>the rest comes from the state of one {@code ./relay dev}: the one on the port of {@code
 *       RELAY_GATEWAY_URL} / {@code RELAY_URL} when either names a local address, else the only
 *       running one; with several running and neither variable set, the command refuses (one line
 *       naming the ports) rather than guessing;
 *   <li>otherwise the defaults: {@code http://localhost:8080}, no secrets.
 * </ol>
 */
final class CliConfig {

  static final String DEFAULT_URL = "http://localhost:8080";
  private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private final UnaryOperator<String> env;
  private final Map<String, String> dev;

  CliConfig(UnaryOperator<String> env, Map<String, String> dev) {
    this.env = env;
    this.dev = dev;
  }

  /** Reads the process environment and the dev state it points to. */
  static CliConfig load() {
    UnaryOperator<String> env = System::getenv;
    return new CliConfig(env, devState(env, DevState.locate()));
  }

  static Map<String, String> devState(UnaryOperator<String> env, DevState state) {
    Optional<String> url = nonBlank(env.apply("RELAY_GATEWAY_URL"));
    if (url.isEmpty()) {
      url = nonBlank(env.apply("RELAY_URL"));
    }
    if (url.isPresent()) {
      return localPort(url.get()).flatMap(state::forPort).orElse(Map.of());
    }
    List<Integer> running = state.running();
    if (running.size() > 1) {
      throw CliError.usage(
          "several ./relay dev servers are running (ports "
              + running.toString().replaceAll("[\\[\\]]", "")
              + "): set RELAY_URL=http://localhost:<port> to choose one");
    }
    return running.isEmpty() ? Map.of() : state.forPort(running.get(0)).orElse(Map.of());
  }

  /** The variable from the environment, else from the chosen dev state. */
  Optional<String> get(String name) {
    return nonBlank(env.apply(name)).or(() -> nonBlank(dev.get(name)));
  }

  /** The variable, or a usage error saying how to provide it. */
  String require(String name) {
    return get(name)
        .orElseThrow(
            () ->
                CliError.usage(
                    name
                        + " is not set and no ./relay dev is running: start ./relay dev"
                        + " or export "
                        + name));
  }

  /** publish-api: {@code RELAY_URL}, else the dev server's, else the default. */
  String publishUrl() {
    return trimSlash(get("RELAY_URL").orElse(DEFAULT_URL));
  }

  /** The gateway: {@code RELAY_GATEWAY_URL}, else {@code RELAY_URL}, else as publish-api. */
  String gatewayUrl() {
    return nonBlank(env.apply("RELAY_GATEWAY_URL")).map(CliConfig::trimSlash).orElse(publishUrl());
  }

  /** Whether a dev server's state was found (for messages). */
  boolean hasDevState() {
    return !dev.isEmpty();
  }

  private static Optional<Integer> localPort(String url) {
    try {
      URI uri = URI.create(url.strip());
      if (uri.getHost() == null || !LOCAL.contains(uri.getHost())) {
        return Optional.empty();
      }
      int port = uri.getPort();
      return Optional.of(port >= 0 ? port : "https".equals(uri.getScheme()) ? 443 : 80);
    } catch (IllegalArgumentException e) {
      throw CliError.usage("not a URL: " + url);
    }
  }

  private static String trimSlash(String url) {
    String u = url.strip();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
