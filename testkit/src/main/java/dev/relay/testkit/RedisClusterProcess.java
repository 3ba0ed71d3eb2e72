package dev.relay.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A Redis Cluster of three masters, each with {@code replicasPerMaster} replicas (none by default),
 * started by a test: {@link RedisProcess}es with {@code --cluster-enabled yes}, each on a free
 * loopback port with its own temporary directory and {@code nodes.conf}, joined with {@code
 * redis-cli --cluster create … --cluster-replicas N}. {@link #start} returns once every node
 * reports {@code cluster_state:ok}, so all 16384 slots are served. {@link #close()} stops only
 * these processes, by their own pids.
 *
 * <p>Nodes time out after {@value #NODE_TIMEOUT_MILLIS} ms ({@code cluster-node-timeout}): a killed
 * master with a replica is replaced by it a few seconds later. Roles are read from the cluster
 * ({@code CLUSTER NODES} of a live node), never assumed from start order, so they stay right after
 * a failover.
 *
 * <p>Needs {@code redis-cli} on the PATH (Debian/Ubuntu: {@code redis-tools}); without it {@link
 * #start} fails with a message saying so.
 */
public final class RedisClusterProcess implements AutoCloseable {

  private static final int MASTERS = 3;
  private static final long NODE_TIMEOUT_MILLIS = 2000;
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(20);

  private final List<RedisProcess> nodes;
  private final int replicasPerMaster;

  private RedisClusterProcess(List<RedisProcess> nodes, int replicasPerMaster) {
    this.nodes = nodes;
    this.replicasPerMaster = replicasPerMaster;
  }

  /** Starts three masters without replicas or persistence and joins them into one cluster. */
  public static RedisClusterProcess start() {
    return start(0);
  }

  /**
   * Starts three masters with {@code replicasPerMaster} replicas each, without persistence, and
   * joins them into one cluster. Replication is asynchronous, as in production; see {@link
   * #awaitReplicated()}.
   */
  public static RedisClusterProcess start(int replicasPerMaster) {
    if (replicasPerMaster < 0) {
      throw new IllegalArgumentException("replicasPerMaster < 0");
    }
    String cli = redisCli();
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS * (1 + replicasPerMaster); i++) {
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
                    Long.toString(NODE_TIMEOUT_MILLIS),
                    "--repl-diskless-sync-delay",
                    "0")));
      }
      RedisClusterProcess cluster = new RedisClusterProcess(List.copyOf(nodes), replicasPerMaster);
      cluster.create(cli);
      cluster.awaitStateOk(CREATE_TIMEOUT);
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisProcess::close);
      throw e;
    }
  }

  /** A seed URL for clients: the first node started (a master when created). Any node would do. */
  public String seedUrl() {
    return nodes.get(0).url();
  }

  /** The ports of all nodes, in start order. */
  public List<Integer> ports() {
    return nodes.stream().map(RedisProcess::port).toList();
  }

  /** All nodes' processes in start order, masters and replicas, e.g. to kill one. */
  public List<RedisProcess> nodes() {
    return nodes;
  }

  /** The live nodes that are masters serving slots now, as the cluster sees it. */
  public List<RedisProcess> masters() {
    return ClusterNodes.read(liveNodes()).stream()
        .filter(node -> node.master() && !node.failed() && node.hasSlots())
        .flatMap(node -> byPort(node.port()).stream())
        .toList();
  }

  /**
   * The live master that serves {@code key}'s slot now, as the cluster sees it.
   *
   * @throws IllegalStateException when no live master serves it (e.g. during a failover)
   */
  public RedisProcess masterOf(String key) {
    List<RedisProcess> live = liveNodes();
    int slot = ClusterNodes.keySlot(live, key);
    return ClusterNodes.read(live).stream()
        .filter(node -> node.master() && !node.failed() && node.serves(slot))
        .flatMap(node -> byPort(node.port()).stream())
        .filter(RedisProcess::isAlive)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no live master serves slot " + slot));
  }

  /**
   * Waits until every live master's replicas ({@code replicasPerMaster} of them, online) have
   * acknowledged its whole replication stream, so a master killed now loses no write made before.
   */
  public void awaitReplicated() {
    Awaitility.await("every replica caught up with its master")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> masters().stream().allMatch(this::replicasCaughtUp));
  }

  /** Waits until every live node reports {@code cluster_state:ok}. */
  public void awaitStateOk(Duration atMost) {
    Awaitility.await("cluster_state:ok on every live node")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                liveNodes().stream()
                    .allMatch(node -> ClusterNodes.state(node.port()).equals("ok")));
  }

  /** Stops every node (SIGKILL, by pid) and waits until they are gone. */
  @Override
  public void close() {
    nodes.forEach(RedisProcess::close);
  }

  private boolean replicasCaughtUp(RedisProcess master) {
    ClusterNodes.Replication replication = ClusterNodes.replication(master.port());
    return replication.online().size() == replicasPerMaster
        && replication.online().stream().allMatch(offset -> offset == replication.offset());
  }

  private List<RedisProcess> liveNodes() {
    return nodes.stream().filter(RedisProcess::isAlive).toList();
  }

  private Optional<RedisProcess> byPort(int port) {
    return nodes.stream().filter(node -> node.port() == port).findFirst();
  }

  private void create(String cli) {
    List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
    for (RedisProcess node : nodes) {
      command.add("127.0.0.1:" + node.port());
    }
    command.addAll(
        List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
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
