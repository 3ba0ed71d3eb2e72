package dev.relay.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.AsyncExecutions;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Redis Cluster reached from one seed node, through a Lettuce {@link RedisClusterClient}. Each
 * command goes to the master owning its key's slot; {@code MOVED}/{@code ASK} redirections are
 * followed.
 *
 * <p>Topology: refreshed every {@value #REFRESH_SECONDS} s, and at once on redirections, on
 * commands for a slot no known master serves, on unknown nodes and on a connection that keeps
 * failing to reconnect (its {@value #RECONNECTS_BEFORE_REFRESH}th attempt and every later one) — at
 * most one such adaptive refresh per {@link #ADAPTIVE_REFRESH_TIMEOUT}. Nodes the cluster flagged
 * {@code fail} (or without address) are left out of the topology. Together these make a failover (a
 * replica promoted) visible about one second after Redis completes it, and stop the reconnect
 * attempts to the failed master once it is left out.
 */
final class ClusterRedisTopology implements RedisTopology {

  static final long REFRESH_SECONDS = 15;

  /**
   * The shortest time between two adaptive refreshes. Lettuce's default (30 s) lets the refresh
   * triggered right after a master dies — before the cluster has promoted its replica — block every
   * later trigger, so the promotion was only seen at the next periodic refresh, up to {@value
   * #REFRESH_SECONDS} s later. One second matches the reconnect backoff's cap: while a node stays
   * unreachable, each client refreshes about once a second.
   */
  static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

  static final int RECONNECTS_BEFORE_REFRESH = 5;

  private final RedisClusterClient client;
  private final RedisURI seed;

  /** Node URIs (the seed's credentials and options, another address) by {@code host:port}. */
  private final Map<String, RedisURI> nodeUris = new ConcurrentHashMap<>();

  /** Connections to single nodes (sharded Pub/Sub); shares the cluster client's resources. */
  private final RedisClient nodeClient;

  /** The first topology load; guarded by {@code this}. */
  private CompletableFuture<Void> topologyLoaded;

  /**
   * @throws IllegalArgumentException when {@code uri} names a database other than 0 (a cluster has
   *     only database 0)
   */
  ClusterRedisTopology(ClientResources resources, RedisURI uri, ClientOptions base) {
    if (uri.getDatabase() != 0) {
      throw new IllegalArgumentException(
          "a Redis Cluster has only database 0; remove /" + uri.getDatabase() + " from the URL");
    }
    this.client = RedisClusterClient.create(resources, uri);
    this.seed = uri;
    this.nodeClient = RedisClient.create(resources);
    nodeClient.setOptions(base);
    ClusterClientOptions.Builder options =
        ClusterClientOptions.builder(base)
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(REFRESH_SECONDS))
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                    .refreshTriggersReconnectAttempts(RECONNECTS_BEFORE_REFRESH)
                    .build())
            .nodeFilter(ClusterRedisTopology::usable);
    // Not copied by builder(base): commands in flight on a lost connection fail, never re-sent.
    options.replayFilter(command -> true);
    client.setOptions(options.build());
  }

  /**
   * False for a node without address, and for a node the cluster agreed has failed ({@code fail}: a
   * majority of masters saw it unreachable) once it serves no slots — after its replica took them
   * over, or a failed replica. Kept in the topology, such a node keeps a connection that retries
   * for as long as the cluster lists it (until {@code CLUSTER FORGET} or its return), and each
   * retry would trigger an adaptive refresh. A failed master that still holds its slots is kept:
   * its reconnect attempts are what triggers the refreshes that discover the promotion, and leaving
   * it out would leave its slots without a node until a command on one of them triggered a refresh.
   */
  static boolean usable(RedisClusterNode node) {
    if (node.is(RedisClusterNode.NodeFlag.NOADDR)) {
      return false;
    }
    return !node.is(RedisClusterNode.NodeFlag.FAIL) || !node.getSlots().isEmpty();
  }

  @Override
  public CompletableFuture<RedisLink> connect() {
    return topologyLoaded()
        .thenCompose(loaded -> client.connectAsync(StringCodec.UTF8))
        .thenApply(connection -> new RedisLink(connection, connection.async()));
  }

  @Override
  public CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
    return topologyLoaded()
        .thenCompose(loaded -> client.connectPubSubAsync(StringCodec.UTF8))
        .thenApply(connection -> (StatefulRedisPubSubConnection<String, String>) connection);
  }

  /**
   * {@code SCRIPT LOAD} on every master (Lettuce broadcasts it), awaited: pipelined commands go to
   * several nodes, so sending order alone does not put the load first on each.
   */
  @Override
  public CompletionStage<Void> preload(RedisClusterAsyncCommands<String, String> c, String script) {
    return c.scriptLoad(script).thenApply(sha -> null);
  }

  @Override
  public RedisURI nodeForSlot(int slot) {
    CompletableFuture<Void> loaded;
    synchronized (this) {
      loaded = topologyLoaded;
    }
    if (loaded == null || !loaded.isDone() || loaded.isCompletedExceptionally()) {
      return null; // getPartitions() would block to load the topology
    }
    RedisClusterNode owner = client.getPartitions().getMasterBySlot(slot);
    if (owner == null || owner.getUri() == null || owner.is(RedisClusterNode.NodeFlag.FAIL)) {
      return null;
    }
    String host = owner.getUri().getHost();
    int port = owner.getUri().getPort();
    return nodeUris.computeIfAbsent(
        host + ":" + port, k -> RedisURI.builder(seed).withHost(host).withPort(port).build());
  }

  @Override
  public CompletionStage<Void> refresh() {
    return topologyLoaded().thenCompose(loaded -> client.refreshPartitionsAsync());
  }

  @Override
  public CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(
      RedisURI node) {
    return nodeClient.connectPubSubAsync(StringCodec.UTF8, node).toCompletableFuture();
  }

  @Override
  public CompletionStage<List<String>> serverInfo(RedisLink link) {
    StatefulRedisClusterConnection<String, String> cluster =
        (StatefulRedisClusterConnection<String, String>) link.connection();
    AsyncExecutions<String> infos =
        cluster
            .async()
            .nodes(
                node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
            .commands()
            .info("server");
    return infos.thenApply(List::copyOf);
  }

  /** {@code PING} on every master that serves slots; fails if any of them does not answer. */
  @Override
  public CompletionStage<Void> ping(RedisLink link) {
    StatefulRedisClusterConnection<String, String> cluster =
        (StatefulRedisClusterConnection<String, String>) link.connection();
    return cluster
        .async()
        .nodes(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty())
        .commands()
        .ping()
        .thenApply(pongs -> null);
  }

  /**
   * Loads the topology from the seed once (Lettuce's asynchronous connect needs it); a failed load,
   * e.g. the seed down at start-up, is tried again by the next connect.
   */
  private synchronized CompletableFuture<Void> topologyLoaded() {
    if (topologyLoaded == null || topologyLoaded.isCompletedExceptionally()) {
      topologyLoaded = client.refreshPartitionsAsync().toCompletableFuture();
    }
    return topologyLoaded;
  }

  @Override
  public boolean isCluster() {
    return true;
  }

  @Override
  public void shutdown() {
    nodeClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
