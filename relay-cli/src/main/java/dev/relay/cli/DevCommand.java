package dev.relay.cli;

import dev.relay.gateway.auth.TokenSigner;
import dev.relay.service.ServiceMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ./relay dev}: publish-api and gateway in one process on one port, on the in-memory engine
 * (or Redis when {@code REDIS_URL} is set), with generated secrets kept in {@code .relay/dev.env}.
 * Prints the URLs, the API key and a ready token.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs publish-api and the gateway in ONE process on ONE port (PORT, default 8080).",
      "No Redis needed: an in-memory engine is used unless REDIS_URL is set.",
      "Generated secrets are kept in .relay/dev.env for ./relay token|publish|tail."
    })
final class DevCommand implements Callable<Integer> {

  static final Duration DEV_TOKEN_TTL = Duration.ofHours(1);

  @Override
  public Integer call() {
    if (System.getenv("RELAY_LOG_FORMAT") == null) {
      System.setProperty("RELAY_LOG_FORMAT", "plain");
    }
    if (System.getenv("RELAY_EVENT_LOG_LEVEL") == null) {
      System.setProperty("RELAY_EVENT_LOG_LEVEL", "DEBUG");
    }
    PrintStream out = System.out;
    int requestedPort = port(System.getenv("PORT"));
    DevEnv devEnv = DevEnv.locate();
    Map<String, String> state = devEnv.loadOrCreate("http://localhost:" + requestedPort);
    String apiKey = env("RELAY_API_KEY").orElse(state.get("RELAY_API_KEY"));
    String secret = env("JWT_SIGNING_SECRET").orElse(state.get("JWT_SIGNING_SECRET"));
    boolean redis = env("REDIS_URL").isPresent();

    Map<String, Object> properties = new HashMap<>();
    properties.put("relay.publish.enabled", "true");
    properties.put("relay.gateway.enabled", "true");
    properties.put("relay.dev-mode", "true");
    properties.put("relay.engine", redis ? "redis" : "memory");
    properties.put("relay.api.key", apiKey);
    properties.put("jwt.signing.secret", secret);
    String adminKey = env("ADMIN_API_KEY").orElse(apiKey);
    properties.put("admin.api.key", adminKey);
    if (env("RELAY_TOKEN_MAX_LIFETIME").isEmpty()) {
      properties.put("relay.token.max.lifetime", DEV_TOKEN_TTL.toSeconds() + "s");
    }
    Optional<ApplicationContext> context =
        ServiceMain.start(
            new String[0],
            new ServiceMain.Role("relay-dev", 8080, properties),
            System::getenv,
            System.err);
    if (context.isEmpty()) {
      return 1;
    }
    int port = context.get().getBean(EmbeddedServer.class).getPort();
    String firstSecret = secret.split(",")[0].strip();
    String token =
        new TokenSigner(firstSecret.getBytes(StandardCharsets.UTF_8))
            .connectionToken(
                "dev-user",
                "demo",
                List.of(),
                List.of("subscribe", "publish", "presence"),
                DEV_TOKEN_TTL);
    String http = "http://localhost:" + port;
    out.println();
    out.println("Relay dev is running (engine: " + (redis ? "redis" : "memory") + ")");
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
    out.println("API key: " + apiKey);
    out.println("token: " + token);
    out.println("Secrets are in " + devEnv.file() + " (git-ignored). Try, in another terminal:");
    out.println("  ./relay tail --session demo");
    out.println(
        "  ./relay publish --session demo --event vote.cast --payload"
            + " '{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"dev-user\"}'");
    out.flush();
    return 0;
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  private static int port(String raw) {
    try {
      return raw == null || raw.isBlank() ? 8080 : Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      return 8080;
    }
  }
}
