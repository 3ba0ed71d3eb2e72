package dev.relay.engine.redis;

import dev.relay.engine.EngineUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The Redis connections of one process: one shared, pipelined connection for commands (appends,
 * replay, a feed's head and repair reads, ping and the stores' scripts), and Pub/Sub connections on
 * request: routed by the cluster ({@link #pubSub()}) or to one node for sharded Pub/Sub ({@link
 * #pubSub(RedisURI)}). {@link RedisEventLog} opens its own; the stores ({@code presence}, {@code
 * session}, {@code revocation}, {@code ratelimit}) take one in their constructor, so a gateway can
 * share a single client between them.
 *
 * <p>The same class serves one Redis server and a Redis Cluster (see {@link #cluster}); on a
 * cluster every connection routes each command to the master owning its key's slot, and callers
 * must keep each command and script within one slot, as every Relay key layout does.
 *
 * <p>Failure behaviour: a connection that is down rejects commands at once ({@code
 * REJECT_COMMANDS}); with that setting Lettuce also fails every command in flight as soon as it
 * notices the connection dropped (its endpoint cancels the queued commands instead of keeping them
 * for a replay), so an append never runs twice behind its caller's back and a Redis killed on the
 * same host fails its callers at once. A peer that vanishes without closing the connection (a
 * network partition, a frozen host) is noticed by TCP keepalive probes after {@link
 * #KEEPALIVE_IDLE} of silence ({@link #KEEPALIVE_PROBES} probes {@link #KEEPALIVE_INTERVAL} apart)
 * and, with the native epoll transport, by {@link #TCP_USER_TIMEOUT} for unacknowledged writes;
 * until then every command still ends at its timeout. (The deprecated {@code
 * cancelCommandsOnReconnectFailure} adds nothing over {@code REJECT_COMMANDS}.) Callers with a
 * tighter bound than the command timeout (publish-api answers within 1 s) enforce it themselves.
 * Lost connections reconnect on their own with a backoff capped at one second. If Redis is down
 * when the command connection is first needed, each later call tries to connect again. Thread-safe.
 */
public final class RedisConnections implements AutoCloseable {

  /** Silence on a connection before the first keepalive probe. */
  static final Duration KEEPALIVE_IDLE = Duration.ofSeconds(5);

  static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(1);
  static final int KEEPALIVE_PROBES = 3;

  /** Longest time written data may stay unacknowledged (epoll transport only). */
  static final Duration TCP_USER_TIMEOUT = Duration.ofSeconds(5);

  private final ClientResources resources;
  private final Optional<SharedIoLoops> sharedLoops;
  private final RedisTopology topology;
  private final Set<StatefulRedisPubSubConnection<String, String>> subscribers =
      ConcurrentHashMap.newKeySet();

  /** Guarded by {@code this}. */
  private CompletableFuture<RedisLink> commands;

  private final RedisStats stats = new RedisStats();
  private volatile boolean closed;

  /**
   * Connections to one Redis server; connects lazily: nothing is opened until the first call.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}
   * @param commandTimeout the longest a command may take; also the connect timeout
   */
  public RedisConnections(String url, Duration commandTimeout) {
    this(url, false, commandTimeout);
  }

  /**
   * Connects lazily: nothing is opened until the first call.
   *
   * @param url one server's URL, or with {@code cluster} any node of the cluster (a seed; the
   *     others are discovered), without a database number
   * @param cluster whether {@code url} names a node of a Redis Cluster
   * @param commandTimeout the longest a command may take; also the connect timeout
   */
  public RedisConnections(String url, boolean cluster, Duration commandTimeout) {
    this(url, cluster, commandTimeout, null);
  }

  /**
   * As {@link #RedisConnections(String, boolean, Duration)}, with Lettuce's I/O on {@code ioLoops}
   * (the process's HTTP server loops; see {@link SharedIoLoops}) when its channels fit them, else
   * on Lettuce's own threads. The loops must outlive these connections, and nothing that runs on
   * them may block waiting for Redis.
   *
   * @param ioLoops the loops to share, or null for Lettuce's own threads
   */
  public RedisConnections(
      String url, boolean cluster, Duration commandTimeout, EventLoopGroup ioLoops) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    this.sharedLoops = ioLoops == null ? Optional.empty() : SharedIoLoops.over(ioLoops);
    ClientResources.Builder builder = ClientResources.builder();
    sharedLoops.ifPresent(builder::eventLoopGroupProvider);
    this.resources =
        builder
            // Lettuce records every command's latency by default (HdrHistogram, on its I/O
            // thread); nothing reads it, and at 2,000 publishes/s it was measurable CPU.
            .commandLatencyRecorder(CommandLatencyRecorder.disabled())
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    this.resources.eventBus().get().subscribe(event -> stats.on(event, closed));
    ClientOptions options =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .replayFilter(command -> true)
            .protocolVersion(ProtocolVersion.RESP2)
            .timeoutOptions(TimeoutOptions.enabled())
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(commandTimeout)
                    .keepAlive(
                        SocketOptions.KeepAliveOptions.builder()
                            .enable()
                            .idle(KEEPALIVE_IDLE)
                            .interval(KEEPALIVE_INTERVAL)
                            .count(KEEPALIVE_PROBES)
                            .build())
                    .tcpUserTimeout(
                        SocketOptions.TcpUserTimeoutOptions.builder()
                            .enable()
                            .tcpUserTimeout(TCP_USER_TIMEOUT)
                            .build())
                    .build())
            .build();
    try {
      this.topology =
          cluster
              ? new ClusterRedisTopology(resources, uri, options)
              : new StandaloneRedisTopology(resources, uri, options);
    } catch (RuntimeException e) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * The executor a feed over these connections confines its state to: one of the shared loops
   * Lettuce's I/O runs on (so a message read from Redis reaches the feed without a hand-off), or
   * empty when Lettuce has its own threads (the feed then has its own).
   */
  public Optional<ScheduledExecutorService> feedExecutor() {
    return sharedLoops.map(SharedIoLoops::feedExecutor);
  }

  /** True when Lettuce's I/O runs on the loops given at construction. */
  public boolean sharesLoops() {
    return sharedLoops.isPresent();
  }

  /** True when these are connections to a Redis Cluster. */
  public boolean cluster() {
    return topology.isCluster();
  }

  /** The shared command connection, connecting first if there is none yet. */
  public synchronized CompletableFuture<RedisLink> commands() {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    if (commands == null || commands.isCompletedExceptionally()) {
      commands = topology.connect();
    }
    return commands;
  }

  /**
   * Runs {@code body} on the shared command connection. Redis and connection failures (including
   * "not connected", reported at once) complete the result with {@link EngineUnavailableException}.
   */
  public <T> CompletionStage<T> call(
      String operation,
      Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    commands()
        .thenCompose(link -> body.apply(link.async()))
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failed(operation, failure));
              } else {
                result.complete(value);
              }
            });
    return result;
  }

  /** Connection health counters of this client (for metrics). */
  public RedisStats stats() {
    return stats;
  }

  /**
   * Completes when Redis answers: the server, or on a cluster every master that serves slots. Fails
   * with {@link EngineUnavailableException} otherwise.
   */
  public CompletionStage<Void> ping() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    commands()
        .thenCompose(topology::ping)
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                result.completeExceptionally(translate("ping", failure));
              } else {
                result.complete(null);
              }
            });
    return result;
  }

  /** {@code INFO server} of the server, or of every master that serves slots. */
  CompletionStage<List<String>> serverInfo() {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    commands()
        .thenCompose(topology::serverInfo)
        .whenComplete(
            (value, failure) -> {
              if (failure != null) {
                result.completeExceptionally(translate("INFO server", failure));
              } else {
                result.complete(value);
              }
            });
    return result;
  }

  /**
   * Makes {@code script} known where it will run, so {@code EVALSHA}s pipelined on {@code c} once
   * the result completes find it: at once on one server ({@code SCRIPT LOAD} is simply sent first),
   * after every master confirmed on a cluster.
   */
  CompletionStage<Void> preload(RedisClusterAsyncCommands<String, String> c, String script) {
    return topology.preload(c, script);
  }

  /**
   * A new Pub/Sub connection to one node ({@link RedisTopology#nodeForSlot}), closed with this
   * object (or earlier by its user). It reconnects to that node on its own when the connection
   * drops.
   */
  CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub(RedisURI node) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    return topology.connectPubSub(node).thenApply(this::track);
  }

  /** Forgets a Pub/Sub connection its user closed. */
  void untrack(StatefulRedisPubSubConnection<String, String> connection) {
    subscribers.remove(connection);
  }

  /** The server or cluster behind these connections. */
  RedisTopology topology() {
    return topology;
  }

  /**
   * A new Pub/Sub connection, closed with this object. It reconnects on its own and then
   * re-subscribes to its channels, calling its listeners' {@code subscribed} again.
   */
  public CompletableFuture<StatefulRedisPubSubConnection<String, String>> pubSub() {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    return topology.connectPubSub().thenApply(this::track);
  }

  private StatefulRedisPubSubConnection<String, String> track(
      StatefulRedisPubSubConnection<String, String> connection) {
    subscribers.add(connection);
    if (closed) {
      subscribers.remove(connection);
      connection.closeAsync();
      throw new CompletionException(closedException());
    }
    return connection;
  }

  /** {@link #translate}, counting connection failures and timeouts in {@link #stats()}. */
  Throwable failed(String operation, Throwable failure) {
    Throwable translated = translate(operation, failure);
    if (translated instanceof EngineUnavailableException) {
      stats.commandFailed();
    }
    return translated;
  }

  /**
   * The exception a caller sees for {@code failure}: Redis and connection failures become {@link
   * EngineUnavailableException}; anything else (a programming error) is passed on unchanged.
   */
  public static Throwable translate(String operation, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof EngineUnavailableException) {
      return cause;
    }
    if (cause instanceof RedisException
        || cause instanceof IOException
        || cause instanceof TimeoutException
        || cause instanceof CancellationException) {
      return new EngineUnavailableException(
          "redis " + operation + " failed: " + cause.getMessage(), cause);
    }
    return cause;
  }

  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Closes every connection and the client; blocks until the client's threads have stopped. */
  @Override
  public void close() {
    CompletableFuture<RedisLink> current;
    synchronized (this) {
      closed = true;
      current = commands;
    }
    if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
      current.join().connection().close();
    }
    subscribers.forEach(StatefulRedisPubSubConnection::close);
    subscribers.clear();
    topology.shutdown();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static EngineUnavailableException closedException() {
    return new EngineUnavailableException("redis connections are closed", null);
  }
}
