package dev.relay.engine.upgrade;

import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.redis.RedisLink;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Dedicated connections for {@link PartitionBridge}'s blocking {@code XREAD}s: a blocking read
 * holds its connection, so it must never share one with appends, and on a Redis Cluster each
 * partition needs its own (one {@code XREAD} cannot span slots, and a second read to the same node
 * would queue behind the first). One Lettuce client of its own, with one I/O thread: the bridge
 * runs only while an upgrade does, and the service's own client stays untouched.
 *
 * <p>Connections reconnect on their own (backoff capped at one second); while one is down its
 * commands fail at once ({@code REJECT_COMMANDS}) and commands in flight when it drops fail rather
 * than being re-sent. Each command times out after the longest block plus the command timeout.
 * Thread-safe; {@link #close()} closes every connection and blocks until the client has stopped.
 */
final class TailConnections implements AutoCloseable {

  private final ClientResources resources;
  private final RedisURI uri;
  private final RedisClient standalone;
  private final RedisClusterClient cluster;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Guarded by {@code this}. */
  private CompletableFuture<Void> topologyLoaded;

  /**
   * @param url one server's URL, or with {@code cluster} any node of the cluster
   * @param timeout every command's timeout: the longest {@code BLOCK} plus the command timeout
   */
  TailConnections(String url, boolean cluster, Duration timeout) {
    this.uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(1)
            .computationThreadPoolSize(1)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    ClientOptions base =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .replayFilter(command -> true)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build();
    if (cluster) {
      this.standalone = null;
      this.cluster = RedisClusterClient.create(resources, uri);
      ClusterClientOptions.Builder options =
          ClusterClientOptions.builder(base)
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(15))
                      .enableAllAdaptiveRefreshTriggers()
                      .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                      .build());
      options.replayFilter(command -> true);
      this.cluster.setOptions(options.build());
    } else {
      this.cluster = null;
      this.standalone = RedisClient.create(resources, uri);
      this.standalone.setOptions(base);
    }
  }

  /** A new dedicated connection, closed with this object. */
  CompletableFuture<RedisLink> open() {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    CompletableFuture<RedisLink> link =
        cluster != null
            ? topologyLoaded()
                .thenCompose(loaded -> cluster.connectAsync(StringCodec.UTF8))
                .thenApply(
                    (StatefulRedisClusterConnection<String, String> c) ->
                        new RedisLink(c, c.async()))
            : standalone
                .connectAsync(StringCodec.UTF8, uri)
                .thenApply(
                    (StatefulRedisConnection<String, String> c) -> new RedisLink(c, c.async()))
                .toCompletableFuture();
    return link.thenApply(
        l -> {
          open.add(l.connection());
          if (closed) {
            l.connection().closeAsync();
            throw new EngineUnavailableException("tail connections are closed", null);
          }
          return l;
        });
  }

  /**
   * Loads the cluster's topology from the seed once (Lettuce's asynchronous connect needs it); a
   * failed load is tried again by the next open.
   */
  private synchronized CompletableFuture<Void> topologyLoaded() {
    if (topologyLoaded == null || topologyLoaded.isCompletedExceptionally()) {
      topologyLoaded = cluster.refreshPartitionsAsync().toCompletableFuture();
    }
    return topologyLoaded;
  }

  /**
   * Runs {@code task} after {@code wait} on the client's own scheduler (its one computation thread,
   * otherwise idle); dropped once these connections are closed.
   */
  void schedule(Duration wait, Runnable task) {
    try {
      resources.eventExecutorGroup().schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedMeanwhile) {
      // closed: the client's scheduler has stopped, and so have the reads it would retry
    }
  }

  @Override
  public void close() {
    closed = true;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing anyway: the client shutdown below releases what is left.
      }
    }
    open.clear();
    if (cluster != null) {
      cluster.shutdown(0, 2, TimeUnit.SECONDS);
    } else {
      standalone.shutdown(0, 2, TimeUnit.SECONDS);
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static EngineUnavailableException closedException() {
    return new EngineUnavailableException("tail connections are closed", null);
  }
}
