package dev.relay.engine.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What differs between one Redis server and a Redis Cluster, and nothing else: how connections are
 * made, how a script is made known before a pipeline runs it, and what "Redis answers" means. Every
 * Relay command and script touches the keys of one hash slot (see {@code docs/engine.md}), so the
 * callers are the same for both; only sharded Pub/Sub ({@link RedisLiveSource}) needs to know which
 * node serves a slot ({@link #nodeForSlot}).
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

  /**
   * The node serving {@code slot} ({@code SlotHash.getSlot(key)}), for a connection of its own
   * ({@link #connectPubSub(RedisURI)}): the server itself, or on a cluster the master that serves
   * the slot in the client's current view of the topology; null when that view is not loaded yet or
   * no master serves the slot. Never blocks; the same node gives the same {@link RedisURI}.
   */
  RedisURI nodeForSlot(int slot);

  /** Starts reloading the cluster's topology (nothing to do on one server). */
  CompletionStage<Void> refresh();

  /**
   * A new Pub/Sub connection to one node (as named by {@link #nodeForSlot}), not following cluster
   * redirections: a sharded subscription must be made on the node that serves its slot.
   */
  CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(RedisURI node);

  /** {@code INFO server} of the server, or of every master that serves slots. */
  CompletionStage<List<String>> serverInfo(RedisLink link);

  /** Completes when every master holding data answers {@code PING}. */
  CompletionStage<Void> ping(RedisLink link);

  /** True for a Redis Cluster: then a command or script may not touch keys of different slots. */
  boolean isCluster();

  /** Releases the client and its threads; connections must be closed first. */
  void shutdown();
}
