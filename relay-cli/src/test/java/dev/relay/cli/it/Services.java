package dev.relay.cli.it;

import dev.relay.gateway.server.GatewayMain;
import dev.relay.publish.PublishApiMain;
import dev.relay.service.ServiceMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts publish-api and gateway instances as separate Micronaut contexts in the test JVM, each
 * exactly as {@code ./relay publish-api} / {@code ./relay gateway} would, on random ports.
 */
final class Services {

  static final String API_KEY = "it-api-key-it-api-key-it-api-key-0001";
  static final String SECRET = "it-jwt-secret-it-jwt-secret-it-jwt-0001";

  private Services() {}

  static ApplicationContext publishApi(String redisUrl) {
    return publishApi(redisUrl, Map.of());
  }

  static ApplicationContext publishApi(String redisUrl, Map<String, Object> extra) {
    return start(PublishApiMain.ROLE, redisUrl, "relay.gateway.enabled", extra);
  }

  /** The ws:// URL of a gateway's JSON protocol with a token. */
  static String realtime(ApplicationContext gateway, String token) {
    URI g = uri(gateway);
    return "ws://" + g.getHost() + ":" + g.getPort() + "/realtime?token=" + token;
  }

  static ApplicationContext gateway(String redisUrl) {
    return gateway(redisUrl, Map.of());
  }

  static ApplicationContext gateway(String redisUrl, Map<String, Object> extra) {
    return start(GatewayMain.ROLE, redisUrl, "relay.publish.enabled", extra);
  }

  /**
   * Both services in one context on the memory engine, as {@code ./relay dev} runs them, with
   * {@link #API_KEY} and {@link #SECRET} unless {@code extra} overrides them.
   */
  static ApplicationContext devMode(String name, Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("relay.publish.enabled", "true");
    properties.put("relay.gateway.enabled", "true");
    properties.put("relay.engine", "memory");
    properties.put("relay.api.key", API_KEY);
    properties.put("jwt.signing.secret", SECRET);
    properties.putAll(extra);
    return ServiceMain.start(
            new String[0],
            new ServiceMain.Role(name, 0, Map.copyOf(properties)),
            variable -> variable.equals("PORT") ? "0" : null,
            System.err)
        .orElseThrow(() -> new IllegalStateException(name + " did not start"));
  }

  static URI uri(ApplicationContext context) {
    return context.getBean(EmbeddedServer.class).getURI();
  }

  private static ApplicationContext start(
      ServiceMain.Role role, String redisUrl, String off, Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>(role.properties());
    // Every IT connects from 127.0.0.1 and shares one Redis: per-IP buckets would couple
    // unrelated tests, so they are lifted unless a test sets them.
    properties.put("relay.connect.limit.per.ip", "100000/min");
    properties.put("relay.publish.limit.per.ip", "100000/s");
    properties.putAll(extra);
    properties.put(off, "false");
    properties.put("redis.url", redisUrl);
    properties.put("relay.api.key", API_KEY);
    properties.put("jwt.signing.secret", SECRET);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return ServiceMain.start(
            new String[0],
            new ServiceMain.Role(role.name(), role.defaultPort(), properties),
            name -> name.equals("PORT") ? "0" : null,
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalStateException(role.name() + " did not start: " + err));
  }

  /**
   * Starts {@code java -jar target/relay.jar gateway} as a separate process (so a test can SIGKILL
   * it) on {@code port}, logging to {@code target/<logName>}; {@code env} adds or overrides
   * variables (e.g. {@code REDIS_URL}, else the shared {@link dev.relay.testkit.TestRedis}).
   */
  static Process gatewayProcess(int port, String logName, Map<String, String> env) {
    ProcessBuilder builder =
        new ProcessBuilder(
                System.getProperty("java.home")
                    + java.io.File.separator
                    + "bin"
                    + java.io.File.separator
                    + "java",
                "-Xmx256m",
                "-jar",
                java.nio.file.Path.of("target", "relay.jar").toAbsolutePath().toString(),
                "gateway")
            .redirectErrorStream(true)
            .redirectOutput(java.nio.file.Path.of("target", logName).toFile());
    Map<String, String> processEnv = builder.environment();
    // the shared Redis only when the test brings none (it is started on first use)
    processEnv.put(
        "REDIS_URL",
        env.containsKey("REDIS_URL") ? env.get("REDIS_URL") : dev.relay.testkit.TestRedis.url());
    processEnv.put("JWT_SIGNING_SECRET", SECRET);
    processEnv.put("PORT", Integer.toString(port));
    processEnv.put("RELAY_CONNECT_LIMIT_PER_IP", "100000/min");
    processEnv.putAll(env);
    try {
      return builder.start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Closes each of {@code closeables} that is not null, even when closing an earlier one fails. */
  static void closeAll(AutoCloseable... closeables) {
    for (AutoCloseable closeable : closeables) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          // the others must still be closed
        }
      }
    }
  }

  static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
