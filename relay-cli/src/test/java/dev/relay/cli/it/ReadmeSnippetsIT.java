package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.testkit.NpmInstall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's two first paths, run exactly as written: the code blocks are read from README.md
 * itself, so the README cannot drift from what works. Against a real {@code ./relay dev} (the
 * launcher script, fresh state), the browser snippet runs in Debian's chromium on the demo page and
 * must log the welcome and then the event that the README's {@code curl} block publishes.
 */
class ReadmeSnippetsIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path HARNESS = Path.of("src/test/browser").toAbsolutePath();
  private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void curlAndBrowserSnippetsWorkAsWritten() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String curl = block(readme, "sh", "curl ");
    String browserJs = block(readme, "js", "new WebSocket(");
    assertThat(Path.of("/usr/bin/chromium")).isExecutable();
    NpmInstall.ensure(HARNESS, "playwright-core", Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));

    Path state = Files.createTempDirectory("relay-readme-state");
    int port = Services.freePort();
    Process dev = start(state, port, List.of(ROOT.resolve("relay").toString(), "dev"));
    List<String> devOut = RelayRun.lines(dev.getInputStream());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> devOut.stream().anyMatch(l -> l.startsWith("token: ")) || !dev.isAlive());
    assertThat(dev.isAlive()).as("relay dev: %s", devOut).isTrue();

    Path snippet = Files.createTempFile("readme-snippet", ".js");
    Files.writeString(snippet, browserJs);
    Process browser =
        new ProcessBuilder(
                "node", "readme-test.mjs", "http://localhost:" + port, snippet.toString())
            .directory(HARNESS.toFile())
            .redirectErrorStream(true)
            .start();
    processes.add(browser);
    List<String> browserOut = RelayRun.lines(browser.getInputStream());
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> browserOut.contains("readme: welcome") || !browser.isAlive());
    assertThat(browserOut).as("browser").contains("readme: welcome");

    Process curlRun = start(state, port, List.of("bash", "-euo", "pipefail", "-c", curl));
    List<String> curlOut = RelayRun.lines(curlRun.getInputStream());
    assertThat(curlRun.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(curlRun.exitValue()).as("curl block: %s", curlOut).isZero();
    // The output is read on a thread of its own, which may still be at it when the process ends.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> String.join("\n", curlOut).contains("\"duplicate\""));
    assertThat(String.join("\n", curlOut))
        .contains("\"room\":\"session:demo\"")
        .contains("\"duplicate\":false");

    assertThat(browser.waitFor(60, TimeUnit.SECONDS)).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browserOut.contains("readme: event vote.cast"));
    assertThat(browserOut).as("browser").contains("readme: event vote.cast");
    assertThat(browser.exitValue()).isZero();
  }

  /** The one README code block of that language containing {@code marker}. */
  private static String block(String readme, String language, String marker) {
    List<String> found = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      if (m.group(1).equals(language) && m.group(2).contains(marker)) {
        found.add(m.group(2));
      }
    }
    assertThat(found).as("```%s blocks with %s in README.md", language, marker).hasSize(1);
    return found.get(0);
  }

  /**
   * Runs {@code command} in the checkout with a clean environment, as a reader's terminal would.
   */
  private Process start(Path state, int port, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    Map<String, String> env = builder.environment();
    RelayRun.clean(env);
    env.put("PORT", Integer.toString(port));
    env.put("RELAY_STATE_DIR", state.toString());
    Process process = builder.redirectErrorStream(true).start();
    processes.add(process);
    return process;
  }
}
