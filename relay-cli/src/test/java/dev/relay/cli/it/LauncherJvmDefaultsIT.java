package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM defaults (#17): both services compile early ({@code
 * CompileThresholdScaling=0.25}), {@code ./relay gateway} pre-touches its heap, {@code ./relay
 * publish-api} keeps half its heap young, dev mode has none of these, {@code JAVA_OPTS} comes after
 * the defaults (so it wins), and {@code RELAY_JVM_DEFAULTS} replaces them. A stand-in {@code java}
 * on the PATH prints the arguments it was given.
 */
class LauncherJvmDefaultsIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path bin;

  private String javaArgs(Map<String, String> env, String... args) throws Exception {
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("relay").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.equals("JAVA_OPTS") || k.startsWith("RELAY_"));
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void theGatewayPreTouchesItsHeapAndJavaOptsComesLast() throws Exception {
    String gateway = javaArgs(Map.of("JAVA_OPTS", "-Xms64m -Xmx64m"), "gateway");
    assertThat(gateway)
        .startsWith("-XX:+AlwaysPreTouch -XX:CompileThresholdScaling=0.25 -Xms64m -Xmx64m -jar ")
        .endsWith(" gateway");

    assertThat(javaArgs(Map.of(), "publish-api")).doesNotContain("AlwaysPreTouch");
    assertThat(javaArgs(Map.of(), "dev")).doesNotContain("AlwaysPreTouch");
  }

  @Test
  void publishApiHasAHalfYoungHeapAndEarlyCompilationAndDevModeNeither() throws Exception {
    assertThat(javaArgs(Map.of("JAVA_OPTS", "-Xmx64m"), "publish-api"))
        .startsWith("-XX:NewRatio=1 -XX:CompileThresholdScaling=0.25 -Xmx64m -jar ")
        .endsWith(" publish-api");
    assertThat(javaArgs(Map.of(), "dev")).startsWith("-jar ");
  }

  /** The flags are real: a JVM of this build starts with each service's defaults. */
  @Test
  void theDefaultsAreFlagsThisJvmAccepts() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String role : List.of("gateway", "publish-api")) {
      String defaults = javaArgs(Map.of(), role);
      command.addAll(List.of(defaults.substring(0, defaults.indexOf("-jar ")).split("\\s+")));
    }
    command.addAll(List.of("-Xmx64m", "-version"));
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(out).isZero();
  }

  @Test
  void relayJvmDefaultsReplacesTheDefaults() throws Exception {
    assertThat(javaArgs(Map.of("RELAY_JVM_DEFAULTS", ""), "gateway"))
        .doesNotContain("AlwaysPreTouch")
        .startsWith("-jar ");
    assertThat(javaArgs(Map.of("RELAY_JVM_DEFAULTS", "-XX:+UseZGC"), "gateway"))
        .startsWith("-XX:+UseZGC -jar ");
  }
}
