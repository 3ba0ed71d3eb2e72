package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./relay dev} as a user starts it, on a free port, with a clean environment (nothing of the
 * machine's {@code RELAY_*}, {@code REDIS_URL}, secrets or admin key leaks in) and its state in a
 * temporary directory; ready once it printed its API key (in dev mode also the admin key). Closing
 * stops it (SIGTERM, then SIGKILL after 20 s).
 */
final class DevServer implements AutoCloseable {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final Process process;
  private final List<String> output;
  private final int port;
  private final String apiKey;

  private DevServer(Map<String, String> extraEnv) throws IOException {
    port = Services.freePort();
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("relay").toString(), "dev").directory(ROOT.toFile());
    RelayRun.clean(builder.environment());
    builder.environment().put("PORT", Integer.toString(port));
    builder
        .environment()
        .put("RELAY_STATE_DIR", Files.createTempDirectory("relay-dev-state").toString());
    builder.environment().putAll(extraEnv);
    process = builder.redirectErrorStream(true).start();
    output = RelayRun.lines(process.getInputStream());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> output.stream().anyMatch(l -> l.startsWith("API key: ")) || !process.isAlive());
    assertThat(process.isAlive()).as("relay dev exited: %s", output).isTrue();
    apiKey =
        output.stream()
            .filter(l -> l.startsWith("API key: "))
            .findFirst()
            .orElseThrow()
            .substring(9)
            .strip();
  }

  static DevServer start() throws IOException {
    return new DevServer(Map.of());
  }

  /** With these environment variables too (e.g. {@code RELAY_REQUEST_TIMEOUT}). */
  static DevServer start(Map<String, String> env) throws IOException {
    return new DevServer(env);
  }

  String url() {
    return "http://localhost:" + port;
  }

  String apiKey() {
    return apiKey;
  }

  /** What it printed so far (stdout and stderr). */
  List<String> output() {
    return output;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
