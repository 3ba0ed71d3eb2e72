package dev.relay.cli.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs the launcher ({@code java -jar target/relay.jar}, what {@code ./relay} execs) as a separate
 * process with a clean environment: no {@code RELAY_*}, {@code REDIS_URL}, {@code JWT_*} or {@code
 * ADMIN_*} variable leaks in from the machine, and the dev state lives in a directory of the test's
 * choosing.
 */
final class RelayRun {

  /** What a finished command left behind. */
  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private final Map<String, String> env = new HashMap<>();

  RelayRun(Path stateDir) {
    env.put("RELAY_STATE_DIR", stateDir.toString());
  }

  private RelayRun(Map<String, String> env) {
    this.env.putAll(env);
  }

  /** A copy of this run with one more variable; this one is unchanged. */
  RelayRun with(String name, String value) {
    RelayRun copy = new RelayRun(env);
    copy.env.put(name, value);
    return copy;
  }

  /** The process, started; the caller reads its streams. */
  Process start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of("target", "relay.jar").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    clean(builder.environment());
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs to completion (at most 60 s) and collects both streams. */
  Result run(String... args) {
    Process process = start(args);
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("relay " + String.join(" ", args) + " did not finish in 60 s");
      }
      return new Result(process.exitValue(), out.get(), err.get());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Drops every variable of the machine that would point the launcher elsewhere. */
  static void clean(Map<String, String> environment) {
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("RELAY_")
                    || k.startsWith("JWT_")
                    || k.startsWith("ADMIN_")
                    || k.equals("REDIS_URL")
                    || k.equals("PORT"));
  }

  /** The lines of {@code stream} as they arrive, collected by a daemon thread until it ends. */
  static List<String> lines(InputStream stream) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
