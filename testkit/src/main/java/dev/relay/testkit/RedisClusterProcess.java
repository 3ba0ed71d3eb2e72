package dev.relay.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Redis Cluster of three masters (no replicas) started by a test: three {@link RedisProcess}es
 * with {@code --cluster-enabled yes}, each on a free loopback port with its own temporary directory
 * and {@code nodes.conf}, joined with {@code redis-cli --cluster create}. {@link #start()} returns
 * once every node reports {@code cluster_state:ok}, so all 16384 slots are served. {@link #close()}
 * stops only these three processes, by their own pids.
 *
 * <p>Needs {@code redis-cli} on the PATH (Debian/Ubuntu: {@code redis-tools}); without it {@link
 * #start()} fails with a message saying so.
 */
public final class RedisClusterProcess implements AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(20);

  private final List<RedisProcess> nodes;

  private RedisClusterProcess(List<RedisProcess> nodes) {
    this.nodes = nodes;
  }

  /** Starts three masters without persistence and joins them into one cluster. */
  public static RedisClusterProcess start() {
    String cli = redisCli();
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        nodes.add(
            RedisProcess.start(
                List.of(
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-node-timeout",
                    "2000")));
      }
      RedisClusterProcess cluster = new RedisClusterProcess(List.copyOf(nodes));
      cluster.create(cli);
      cluster.awaitStateOk();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::close);
      throw e;
    }
  }

  /** A seed URL for clients: the first master. Any node would do. */
  public String seedUrl() {
    return nodes.get(0).url();
  }

  /** The masters' ports, in start order. */
  public List<Integer> ports() {
    return nodes.stream().map(RedisProcess::port).toList();
  }

  /** The masters' processes, e.g. to kill one in a fault test. */
  public List<RedisProcess> nodes() {
    return nodes;
  }

  /** Stops the three servers (SIGKILL, by pid) and waits until they are gone. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  private void create(String cli) {
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    for (RedisProcess node : nodes) {
      command.add("127.0.0.1:" + node.port());
    }
    command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Path log = Files.createTempFile("relay-cluster-create", ".log");
      Process create =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!create.waitFor(CREATE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        create.destroyForcibly();
        throw new IllegalStateException("redis-cli --cluster create timed out; see " + log);
      }
      if (create.exitValue() != 0) {
        throw new IllegalStateException(
            "redis-cli --cluster create failed: " + Files.readString(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cli, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the cluster", e);
    }
  }

  private void awaitStateOk() {
    Awaitility.await("cluster_state:ok on every node")
        .atMost(CREATE_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                nodes.stream()
                    .allMatch(node -> clusterInfo(node.port()).equals("cluster_state:ok")));
  }

  /** The {@code cluster_state} line of {@code CLUSTER INFO}, over a raw RESP connection. */
  private static String clusterInfo(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readBulk(socket.getInputStream());
      for (String line : reply.split("\r\n")) {
        if (line.startsWith("cluster_state:")) {
          return line;
        }
      }
      return "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String readBulk(InputStream in) throws IOException {
    StringBuilder header = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      header.append((char) c);
    }
    if (header.length() == 0 || header.charAt(0) != '$') {
      return "";
    }
    int length = Integer.parseInt(header.substring(1).trim());
    byte[] body = in.readNBytes(length);
    return new String(body, StandardCharsets.UTF_8);
  }

  private static String redisCli() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, "redis-cli");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    throw new IllegalStateException(
        "redis-cli not found on the PATH: it is needed to create the test Redis Cluster"
            + " (Debian/Ubuntu: apt-get install redis-tools)");
  }
}
