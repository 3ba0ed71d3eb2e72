package dev.relay.service;

import dev.relay.service.config.ConfigException;
import dev.relay.service.lifecycle.DrainState;
import dev.relay.service.lifecycle.Drainable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Starts a Relay service (publish-api, gateway or dev mode) from its {@code main}.
 *
 * <p>Guarantees: configuration is validated while the context starts (config records are
 * {@code @Context} beans), before the port is bound. A {@link ConfigException} anywhere in the
 * start-up failure prints exactly one line on stderr (its message, which names the variable and
 * never holds a secret) and exits with code 1, without a stack trace. Any other start-up failure
 * prints one line naming the failure, logs the details, and also exits with code 1.
 *
 * <p>Shutdown (SIGTERM): {@code /readyz} turns 503 at once, every {@link Drainable} bean drains
 * (the gateway closes its connections with 1001 over the drain window), then the HTTP server stops
 * and the context closes — within {@link #SHUTDOWN_BUDGET}. Micronaut's own launcher is not used
 * because its shutdown hook stops the server before any bean could drain.
 */
public final class ServiceMain {

  /**
   * What distinguishes one service from another at start-up.
   *
   * @param name reported by {@code /info}, e.g. {@code publish-api}
   * @param defaultPort used when {@code PORT} is not set
   * @param properties fixed Micronaut properties of the role, e.g. {@code relay.publish.enabled}
   */
  public record Role(String name, int defaultPort, Map<String, Object> properties) {

    public Role {
      properties = Map.copyOf(properties);
    }
  }

  /** The whole shutdown, drain included, fits in this (Kubernetes' default grace is 30 s). */
  public static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(25);

  private ServiceMain() {}

  /** Starts the service, or exits the JVM with code 1 after one line on stderr. */
  public static ApplicationContext run(String[] args, Role role) {
    Optional<ApplicationContext> context = start(args, role, System::getenv, System.err);
    if (context.isEmpty()) {
      System.exit(1);
    }
    return context.get();
  }

  /**
   * Starts the service; on failure prints the one line to {@code err} and answers empty. {@code
   * env} looks up environment variables (only {@code PORT} is read here; the rest goes through
   * Micronaut's environment).
   */
  public static Optional<ApplicationContext> start(
      String[] args, Role role, Function<String, String> env, PrintStream err) {
    try {
      int port = port(env.apply("PORT"), role.defaultPort());
      Map<String, Object> properties = new HashMap<>(role.properties());
      properties.put("micronaut.server.port", port);
      // Netty's epoll transport where the platform has it (Linux; NIO elsewhere): fewer system
      // calls and no selected-key sets per wake-up (docs/perf-tests/README.md, #17).
      properties.putIfAbsent("micronaut.server.netty.use-native-transport", true);
      properties.putIfAbsent("micronaut.netty.event-loops.default.prefer-native-transport", true);
      properties.putIfAbsent("micronaut.netty.event-loops.parent.prefer-native-transport", true);
      // One server event loop per two cores (at least one), not Netty's one per core: the loops
      // share the machine with GC and JIT (Lettuce's Redis I/O and the gateway's feed run on these
      // loops too: ServerLoops), and a loop with more connections writes more of them per wake-up;
      // on 2 cores this cut both services' CPU per delivered event by about a fifth. The price, on
      // 2 cores: publish-api's p99 at 2,000
      // req/s was about a third higher (docs/perf-tests/README.md, #17). `num-threads` (e.g. the
      // variable MICRONAUT_NETTY_EVENT_LOOPS_DEFAULT_NUM_THREADS) wins over this ratio.
      properties.putIfAbsent("micronaut.netty.event-loops.default.thread-core-ratio", 0.5);
      properties.put("relay.service.name", role.name());
      ApplicationContext context =
          ApplicationContext.builder().banner(false).args(args).properties(properties).start();
      try {
        context.getBean(EmbeddedServer.class).start();
      } catch (RuntimeException e) {
        context.close();
        throw e;
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> shutdown(context), "relay-shutdown-" + role.name()));
      return Optional.of(context);
    } catch (RuntimeException e) {
      Optional<ConfigException> config = configCause(e);
      if (config.isPresent()) {
        err.println(config.get().getMessage());
      } else {
        err.println(role.name() + " failed to start: " + rootCause(e));
        LoggerFactory.getLogger(ServiceMain.class).error("start-up failed", e);
      }
      err.flush();
      return Optional.empty();
    }
  }

  static int port(String raw, int defaultPort) {
    if (raw == null || raw.isBlank()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(raw.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("PORT must be a number between 0 and 65535");
  }

  /** The first {@link ConfigException} in the cause chain. */
  public static Optional<ConfigException> configCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConfigException config) {
        return Optional.of(config);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static String rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
    return root.getClass().getSimpleName() + ": " + message;
  }

  /**
   * Drains and stops a started service; a no-op when it is already stopped. Called by the shutdown
   * hook on SIGTERM, and usable by tests to drain a service on purpose.
   */
  public static void shutdown(ApplicationContext context) {
    if (!context.isRunning()) {
      return;
    }
    long deadline = System.nanoTime() + SHUTDOWN_BUDGET.toNanos();
    context.findBean(DrainState.class).ifPresent(DrainState::startDraining);
    for (Drainable drainable : context.getBeansOfType(Drainable.class)) {
      drainable.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    context.findBean(EmbeddedServer.class).ifPresent(EmbeddedServer::stop);
    if (context.isRunning()) {
      context.close();
    }
  }
}
