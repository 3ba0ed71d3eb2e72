package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.testkit.NpmInstall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the browser scripts of {@code src/test/browser} (playwright-core driving Debian's
 * {@code /usr/bin/chromium} headless; {@code harness.mjs} holds what they share) and asserts that
 * every step passed, quoting the script's log when not. Fails (never skips) when chromium is
 * missing: {@code .ci/run} installs it.
 */
final class PageScript {

  private static final Path HARNESS = Path.of("src/test/browser").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private PageScript() {}

  /** Runs {@code node <script> <args…>} for at most 3 minutes; returns its log. */
  static String run(String script, String... args) throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("%s is missing: install Debian's chromium (apt-get install -y chromium)", CHROMIUM)
        .isTrue();
    NpmInstall.ensure(HARNESS, "playwright-core", Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
    List<String> command = new ArrayList<>(List.of("node", script));
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
    assertThat(log).contains(": all steps passed");
    return log;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
