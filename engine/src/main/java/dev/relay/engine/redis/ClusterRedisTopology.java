package dev.relay.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Redis Cluster reached from one seed node, through a Lettuce {@link RedisClusterClient}. Each
 * command goes to the master owning its key's slot; {@code MOVED}/{@code ASK} redirections are
 * followed. The topology is refreshed every {@value #REFRESH_SECONDS} s and at once on
 * redirections, reconnect attempts and unknown nodes, so a failover (a replica promoted) is picked
 * up within seconds.
 */
final class ClusterRedisTopology implements RedisTopology {

  static final long REFRESH_SECONDS = 15;

  private final RedisClusterClient client;

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
    ClusterClientOptions.Builder options =
        ClusterClientOptions.builder(base)
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(REFRESH_SECONDS))
                    .enableAllAdaptiveRefreshTriggers()
                    .build());
    // Not copied by builder(base): commands in flight on a lost connection fail, never re-sent.
    options.replayFilter(command -> true);
    client.setOptions(options.build());
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
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
