package dev.relay.engine.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What differs between one Redis server and a Redis Cluster, and nothing else: how connections are
 * made, how a script is made known before a pipeline runs it, and what "Redis answers" means. Every
 * Relay command and script touches the keys of one hash slot (see {@code docs/engine.md}), so the
 * callers are the same for both; only {@link RedisEventLog}'s blocking read picks a strategy by
 * {@link #isCluster()}.
 */
interface RedisTopology {

  /** A new connection with the client's options (reconnect, {@code REJECT_COMMANDS}, timeouts). */
  CompletableFuture<RedisLink> connect();

  /**
   * A new Pub/Sub connection. On a cluster it subscribes on one node; Redis Cluster forwards every
   * {@code PUBLISH} to all nodes, so it receives messages published on any node.
   */
  CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub();

  /**
   * Makes {@code script} known to every node that may run it, so that {@code EVALSHA}s pipelined on
   * {@code c} after the returned stage completes do not fail with {@code NOSCRIPT}.
   */
  CompletionStage<Void> preload(RedisClusterAsyncCommands<String, String> c, String script);

  /** Completes when every master holding data answers {@code PING}. */
  CompletionStage<Void> ping(RedisLink link);

  /** True for a Redis Cluster: then multi-key commands may not span partitions. */
  boolean isCluster();

  /** Releases the client and its threads; connections must be closed first. */
  void shutdown();
}
