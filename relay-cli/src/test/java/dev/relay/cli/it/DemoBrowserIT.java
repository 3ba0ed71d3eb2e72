package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.testkit.NpmInstall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ./relay dev} and drives a real browser through it: Debian's {@code chromium},
 * headless, via {@code playwright-core} ({@code src/test/browser/demo-test.mjs}). The live-feed
 * page (the JS client {@code @relay-realtime/client} on the JSON protocol) connects; two pages join
 * the Planning Poker demo (Socket.IO), vote, see each other's votes, reveal and advance, and the
 * feed shows every event; the admin page shows the three connections; a screenshot lands in {@code
 * target/demo.png}. Then the AI coach page ({@code coach-test.mjs}): a reply streamed through
 * {@code POST /v1/events:stream}, the page reloaded mid-answer shows the partial text at once
 * ({@code message.snapshot}) and ends with exactly the final text ({@code target/coach.png}). Fails
 * (never skips) when {@code /usr/bin/chromium} is missing: {@code .ci/run} installs it.
 */
class DemoBrowserIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path HARNESS = Path.of("src/test/browser").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private Process dev;

  @AfterEach
  void stop() throws InterruptedException {
    if (dev != null) {
      dev.destroy();
      if (!dev.waitFor(20, TimeUnit.SECONDS)) {
        dev.destroyForcibly();
      }
    }
  }

  @Test
  void pokerFeedAdminAndTheAiCoachWorkInRealBrowsers() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("%s is missing: install Debian's chromium (apt-get install -y chromium)", CHROMIUM)
        .isTrue();
    installOnce();
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("relay").toString(), "dev").directory(ROOT.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("RELAY_")
                    || k.equals("REDIS_URL")
                    || k.equals("JWT_SIGNING_SECRET")
                    || k.equals("ADMIN_API_KEY"));
    env.put("PORT", Integer.toString(port));
    env.put("RELAY_STATE_DIR", Files.createTempDirectory("relay-demo-state").toString());
    dev = builder.redirectErrorStream(true).start();
    String apiKey = apiKeyFromBanner(dev);

    Path screenshot = Path.of("target/demo.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    Process node =
        new ProcessBuilder(
                List.of(
                    "node",
                    "demo-test.mjs",
                    "http://localhost:" + port,
                    apiKey,
                    screenshot.toString()))
            .directory(HARNESS.toFile())
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> readAll(node.getInputStream()));
    boolean finished = node.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String log = output.get(10, TimeUnit.SECONDS);
    assertThat(finished).as("browser test timed out:%n%s", log).isTrue();
    assertThat(node.exitValue()).as("browser test failed:%n%s", log).isZero();
    assertThat(log).contains("browser: all steps passed");
    assertThat(Files.size(screenshot)).isGreaterThan(1000);

    Path coachShot = Path.of("target/coach.png").toAbsolutePath();
    String coach = runNode("coach-test.mjs", "http://localhost:" + port, coachShot.toString());
    assertThat(coach).contains("coach: all steps passed");
  }

  /** Runs a harness script with node; fails with its output unless it exits 0 within 3 min. */
  private static String runNode(String script, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Process node =
        new ProcessBuilder(command).directory(HARNESS.toFile()).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> readAll(node.getInputStream()));
    boolean finished = node.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String log = output.get(10, TimeUnit.SECONDS);
    assertThat(finished).as("%s timed out:%n%s", script, log).isTrue();
    assertThat(node.exitValue()).as("%s failed:%n%s", script, log).isZero();
    return log;
  }

  private static void installOnce() {
    NpmInstall.ensure(HARNESS, "playwright-core", Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
  }

  /** Reads the dev banner up to the API key (also the admin key in dev mode); drains the rest. */
  private static String apiKeyFromBanner(Process process) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = reader.readLine()) != null) {
                  if (line.startsWith("API key: ")) {
                    String key = line.substring(9).strip();
                    Thread drain = new Thread(() -> readAll(process.getInputStream()));
                    drain.setDaemon(true);
                    drain.start();
                    return key;
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("relay dev exited before printing its API key");
            })
        .get(120, TimeUnit.SECONDS);
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
