package dev.relay.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.service.ServiceMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./relay dev}: publish-api and gateway in one process on one port, on the in-memory engine
 * (or Redis when {@code REDIS_URL} is set). Prints the URLs, the API key and a ready token; once
 * listening (never before: a failed start leaves every state file as it was) writes them to {@code
 * .relay/dev-<port>.env} ({@link DevState}) for the other commands. Ctrl-C drains connections over
 * {@value #DEV_DRAIN_WINDOW} instead of production's 10 s.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs publish-api and the gateway in ONE process on ONE port (PORT, default 8080).",
      "No Redis needed: an in-memory engine is used unless REDIS_URL is set.",
      "Generated secrets are kept in .relay/dev-<port>.env for ./relay token|publish|tail|env."
    })
final class DevCommand implements Callable<Integer> {

  static final Duration DEV_TOKEN_TTL = Duration.ofHours(1);

  /** Connections are closed over this window on Ctrl-C (production: 10 s), SPEC §1 dev drain. */
  static final String DEV_DRAIN_WINDOW = "500ms";

  @ParentCommand RelayCommand parent;

  @Override
  public Integer call() {
    if (System.getenv("RELAY_LOG_FORMAT") == null) {
      System.setProperty("RELAY_LOG_FORMAT", "plain");
    }
    if (System.getenv("RELAY_EVENT_LOG_LEVEL") == null) {
      System.setProperty("RELAY_EVENT_LOG_LEVEL", "DEBUG");
    }
    checkPortFree(System.getenv("PORT"));
    List<Logger> quiet = parent.verbose ? List.of() : quietStartFailures();
    DevState devState = DevState.locate();
    Map<String, String> generated = devState.secretsFor(requestedPort(System.getenv("PORT")));
    Map<String, String> state = new LinkedHashMap<>();
    state.put("RELAY_API_KEY", env("RELAY_API_KEY").orElse(generated.get("RELAY_API_KEY")));
    state.put(
        "JWT_SIGNING_SECRET",
        env("JWT_SIGNING_SECRET").orElse(generated.get("JWT_SIGNING_SECRET")));
    state.put(
        "RELAY_TOKEN_MAX_LIFETIME",
        env("RELAY_TOKEN_MAX_LIFETIME").orElse(DEV_TOKEN_TTL.toSeconds() + "s"));
    Optional<ApplicationContext> context =
        ServiceMain.start(
            new String[0],
            new ServiceMain.Role("relay-dev", 8080, properties(state)),
            System::getenv,
            System.err);
    quiet.forEach(logger -> logger.setLevel(null));
    if (context.isEmpty()) {
      return CliError.FAILURE;
    }
    int port = context.get().getBean(EmbeddedServer.class).getPort();
    state.put("RELAY_URL", "http://localhost:" + port);
    String secret = state.get("JWT_SIGNING_SECRET").split(",")[0].strip();
    state.put(
        "RELAY_TOKEN",
        devToken(new TokenSigner(secret.getBytes(StandardCharsets.UTF_8)), DEV_TOKEN_TTL));
    devState.write(port, state);
    printBanner(System.out, port, state, devState.file(port));
    return 0;
  }

  /**
   * The token dev mode prints and {@code ./relay env} exports: {@code dev-user} in session {@code
   * demo}, allowed to subscribe, publish and read presence.
   */
  static String devToken(TokenSigner signer, Duration ttl) {
    return signer.connectionToken(
        "dev-user", "demo", List.of(), List.of("subscribe", "publish", "presence"), ttl);
  }

  private static Map<String, Object> properties(Map<String, String> state) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("relay.publish.enabled", "true");
    properties.put("relay.gateway.enabled", "true");
    properties.put("relay.dev-mode", "true");
    properties.put("relay.engine", env("REDIS_URL").isPresent() ? "redis" : "memory");
    properties.put("relay.api.key", state.get("RELAY_API_KEY"));
    properties.put("jwt.signing.secret", state.get("JWT_SIGNING_SECRET"));
    properties.put("admin.api.key", env("ADMIN_API_KEY").orElse(state.get("RELAY_API_KEY")));
    properties.put("relay.token.max.lifetime", state.get("RELAY_TOKEN_MAX_LIFETIME"));
    if (env("RELAY_DRAIN_WINDOW").isEmpty()) {
      properties.put("relay.drain.window", DEV_DRAIN_WINDOW);
    }
    // Netty waits 2 s of quiet before its event loops stop: a Ctrl-C should not.
    properties.put("micronaut.netty.event-loops.default.shutdown-quiet-period", "50ms");
    properties.put("micronaut.netty.event-loops.parent.shutdown-quiet-period", "50ms");
    return properties;
  }

  private static void printBanner(
      PrintStream out, int port, Map<String, String> state, Path stateFile) {
    String http = state.get("RELAY_URL");
    out.println();
    out.println(
        "Relay dev is running (engine: "
            + (env("REDIS_URL").isPresent() ? "redis" : "memory")
            + ")");
    out.println("  publish:   POST " + http + "/v1/events");
    out.println("  realtime:  ws://localhost:" + port + "/realtime");
    out.println("  socket.io: " + http + "/socket.io/");
    out.println("  health:    " + http + "/healthz   metrics: " + http + "/metrics");
    out.println("  demo:      " + http + "/demo/   (Planning Poker; open it in two windows)");
    out.println(
        "  admin:     "
            + http
            + "/admin   (key: "
            + (env("ADMIN_API_KEY").isPresent() ? "ADMIN_API_KEY" : "the API key")
            + ")");
    out.println("API key: " + state.get("RELAY_API_KEY"));
    out.println("token: " + state.get("RELAY_TOKEN"));
    out.println("Secrets are in " + stateFile + " (git-ignored). Try, in another terminal:");
    out.println("  eval \"$(./relay env)\"      # RELAY_URL, RELAY_API_KEY, RELAY_TOKEN for curl");
    out.println("  ./relay tail --session demo");
    out.println(
        "  ./relay publish --session demo --event vote.cast --payload"
            + " '{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"dev-user\"}'");
    out.flush();
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  /**
   * A busy port is the commonest failed start: say so in words. (A race with another process
   * binding it right after this check is still reported, by ServiceMain's one line.)
   */
  private static void checkPortFree(String raw) {
    int port = requestedPort(raw);
    if (port <= 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(port));
    } catch (IOException e) {
      throw CliError.failure(
          "port " + port + " is already in use: stop what listens there or set PORT", e);
    }
  }

  /**
   * ServiceMain prints the one line of a failed start; the trace it and the HTTP server log on the
   * way are for {@code --verbose}. Switched off only while starting.
   */
  private static List<Logger> quietStartFailures() {
    List<Logger> loggers =
        List.of(
            (Logger) LoggerFactory.getLogger(ServiceMain.class),
            (Logger) LoggerFactory.getLogger("io.micronaut.http.server.netty.NettyHttpServer"));
    loggers.forEach(logger -> logger.setLevel(Level.OFF));
    return loggers;
  }

  /** The port asked for, to reuse that port's secrets; 0 when unknown (ServiceMain reports it). */
  private static int requestedPort(String raw) {
    try {
      return raw == null || raw.isBlank() ? 8080 : Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
