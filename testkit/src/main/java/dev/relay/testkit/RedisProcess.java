package dev.relay.testkit;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} process started by a test, on a free loopback port, and stopped by
 * its own pid — never any other Redis on the machine. Uses the {@code redis-server} on the PATH,
 * which must be 7.0 or later (Relay's engine needs sharded Pub/Sub).
 *
 * <p>Fault tests use {@link #kill()} and {@link #restart()}; the port stays the same so clients can
 * reconnect.
 */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
  }

  /** Starts a Redis without persistence. */
  public static RedisProcess start() {
    return start(List.of("--save", "", "--appendonly", "no"));
  }

  /** Starts a Redis with AOF persistence ({@code appendfsync always}), so a restart keeps data. */
  public static RedisProcess startPersistent() {
    return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"));
  }

  public static RedisProcess start(List<String> extraArgs) {
    try {
      RedisProcess redis =
          new RedisProcess(freePort(), Files.createTempDirectory("relay-redis"), extraArgs);
      redis.launch();
      return redis;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** Kills the process (SIGKILL) and waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port and data directory. */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    try {
      launch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart redis-server", e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process and deletes its data directory. */
  @Override
  public void close() {
    kill();
    deleteTree(dir);
  }

  /** Deletes {@code root} and everything under it, best effort (a leftover file is harmless). */
  static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // Best effort: a temporary directory that stays behind harms nothing.
    }
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
    command.addAll(List.of("--dir", dir.toString(), "--daemonize", "no"));
    command.addAll(extraArgs);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    Awaitility.await("redis-server on port " + port)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(this::accepts);
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("PING\r\n".getBytes());
      return socket.getInputStream().read() == '+';
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-server");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    throw new IOException(
        "no redis-server on the PATH: the tests need Redis 7.0 or later"
            + " (Debian: apt-get install redis-server)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
