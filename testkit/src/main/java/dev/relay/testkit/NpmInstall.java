package dev.relay.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code npm ci} once in a test harness folder (one with a {@code package-lock.json}).
 *
 * <p>npm never touches the test JVM's own stdin or stdout: Surefire and Failsafe talk to their
 * forked JVM over those streams, and a child that inherits them corrupts that channel (the build
 * then fails with "std/in stream corrupted" although every test passed). Its output goes to {@code
 * npm-ci.log} in the harness folder and is quoted when the install fails.
 */
public final class NpmInstall {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private NpmInstall() {}

  /**
   * Installs the harness's locked dependencies unless {@code node_modules/<marker>} exists.
   *
   * @param extraEnv extra environment for npm (for example, to skip a browser download)
   */
  public static synchronized void ensure(
      Path harness, String marker, Map<String, String> extraEnv) {
    if (Files.isDirectory(harness.resolve("node_modules").resolve(marker))) {
      return;
    }
    Path log = harness.resolve("npm-ci.log");
    ProcessBuilder npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--no-progress")
            .directory(harness.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    npm.environment().putAll(extraEnv);
    try {
      Process process = npm.start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("npm ci timed out after " + TIMEOUT + " in " + harness);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "npm ci failed in " + harness + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
