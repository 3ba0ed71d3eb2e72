package dev.relay.cli.hostile;

import dev.relay.testkit.RedisProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The stack under attack, as an operator runs it: a {@code redis-server} of its own ({@link
 * RedisProcess}), {@code java -jar relay.jar publish-api} and {@code java -jar relay.jar gateway}
 * as separate processes with default settings: only the required variables are set (plus {@code
 * ADMIN_API_KEY} for revocations; no {@code RELAY_ALLOWED_ORIGINS}: the attackers send no {@code
 * Origin}); every other {@code RELAY_*} variable of the test's environment is removed so defaults
 * apply.
 *
 * <p>{@link #close()} stops only the processes it started, by their handles.
 */
final class HostileStack implements AutoCloseable {

  static final String API_KEY = "hostile-api-key-hostile-api-key-0001";
  static final String SECRET = "hostile-jwt-secret-hostile-jwt-secret-01";
  static final String ADMIN_KEY = "hostile-admin-key-hostile-admin-key-01";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final RedisProcess redis;
  private final Process publishApi;
  private final Process gateway;
  private final URI publishUri;
  private final URI gatewayUri;
  private final Path gatewayLog;

  private HostileStack(
      RedisProcess redis,
      Process publishApi,
      Process gateway,
      URI publishUri,
      URI gatewayUri,
      Path gatewayLog) {
    this.redis = redis;
    this.publishApi = publishApi;
    this.gateway = gateway;
    this.publishUri = publishUri;
    this.gatewayUri = gatewayUri;
    this.gatewayLog = gatewayLog;
  }

  /** Starts Redis, publish-api and a gateway, and waits until both answer {@code /readyz} 200. */
  static HostileStack start(String name) {
    RedisProcess redis = RedisProcess.start();
    Process api = null;
    Process gateway = null;
    try {
      int apiPort = freePort();
      int gatewayPort = freePort();
      Path dir = Files.createDirectories(Path.of("target", "hostile"));
      Map<String, String> apiEnv = new HashMap<>();
      apiEnv.put("RELAY_API_KEY", API_KEY);
      api = launch("publish-api", apiPort, redis, apiEnv, dir.resolve(name + "-publish-api.log"));
      Map<String, String> gatewayEnv = new HashMap<>();
      gatewayEnv.put("JWT_SIGNING_SECRET", SECRET);
      gatewayEnv.put("ADMIN_API_KEY", ADMIN_KEY);
      Path log = dir.resolve(name + "-gateway.log");
      gateway = launch("gateway", gatewayPort, redis, gatewayEnv, log);
      HostileStack stack =
          new HostileStack(
              redis,
              api,
              gateway,
              URI.create("http://127.0.0.1:" + apiPort),
              URI.create("http://127.0.0.1:" + gatewayPort),
              log);
      Awaitility.await(name + " stack ready")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!stack.publishApi.isAlive() || !stack.gateway.isAlive()) {
                  throw new IllegalStateException(name + ": a service exited; see target/hostile");
                }
                return stack.ready(stack.publishUri) && stack.ready(stack.gatewayUri);
              });
      return stack;
    } catch (IOException | RuntimeException | Error e) {
      stop(api);
      stop(gateway);
      redis.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  URI gateway() {
    return gatewayUri;
  }

  InetSocketAddress gatewayAddress() {
    return new InetSocketAddress("127.0.0.1", gatewayUri.getPort());
  }

  URI publishApi() {
    return publishUri;
  }

  Process gatewayProcess() {
    return gateway;
  }

  Path gatewayLog() {
    return gatewayLog;
  }

  /** POST /v1/events to {@code room}; the status. */
  int publish(String room, String event, String payloadJson) {
    String body =
        "{\"room\":\"" + room + "\",\"event\":\"" + event + "\",\"payload\":" + payloadJson + "}";
    return send(HttpRequest.newBuilder(publishUri.resolve("/v1/events"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + API_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build())
        .statusCode();
  }

  /** POST /admin/revocations on the gateway; the status. */
  int revoke(String jti, long expEpochSeconds) {
    return send(HttpRequest.newBuilder(gatewayUri.resolve("/admin/revocations"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jti\":\"" + jti + "\",\"exp\":" + expEpochSeconds + "}"))
            .build())
        .statusCode();
  }

  /** GET on the gateway; the whole answer. */
  HttpResponse<String> getGateway(String pathAndQuery) {
    return send(
        HttpRequest.newBuilder(gatewayUri.resolve(pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build());
  }

  @Override
  public void close() {
    stop(gateway);
    stop(publishApi);
    redis.close();
  }

  private boolean ready(URI base) {
    try {
      return send(HttpRequest.newBuilder(base.resolve("/readyz")).build()).statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Process launch(
      String role, int port, RedisProcess redis, Map<String, String> env, Path log)
      throws IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder builder =
        new ProcessBuilder(
                java, "-jar", Path.of("target", "relay.jar").toAbsolutePath().toString(), role)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> processEnv = builder.environment();
    processEnv
        .keySet()
        .removeIf(key -> key.startsWith("RELAY_") || key.equals("JAVA_TOOL_OPTIONS"));
    processEnv.put("REDIS_URL", redis.url());
    processEnv.put("PORT", Integer.toString(port));
    processEnv.putAll(env);
    return builder.start();
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
