package dev.relay.engine.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One Redis server (or a proxy that looks like one), through a Lettuce {@link RedisClient}. */
final class StandaloneRedisTopology implements RedisTopology {

  private final RedisClient client;
  private final RedisURI uri;

  StandaloneRedisTopology(ClientResources resources, RedisURI uri, ClientOptions options) {
    this.uri = uri;
    this.client = RedisClient.create(resources);
    client.setOptions(options);
  }

  @Override
  public CompletableFuture<RedisLink> connect() {
    return client
        .connectAsync(StringCodec.UTF8, uri)
        .toCompletableFuture()
        .thenApply(connection -> new RedisLink(connection, connection.async()));
  }

  @Override
  public CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub() {
    return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture();
  }

  /**
   * Sends {@code SCRIPT LOAD} without waiting: one connection runs commands in order, so the script
   * is loaded before anything pipelined after it.
   */
  @Override
  public CompletionStage<Void> preload(RedisClusterAsyncCommands<String, String> c, String script) {
    c.scriptLoad(script);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public RedisURI nodeForSlot(int slot) {
    return uri;
  }

  @Override
  public CompletionStage<Void> refresh() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<StatefulRedisPubSubConnection<String, String>> connectPubSub(
      RedisURI node) {
    return client.connectPubSubAsync(StringCodec.UTF8, node).toCompletableFuture();
  }

  @Override
  public CompletionStage<List<String>> serverInfo(RedisLink link) {
    return link.async().info("server").thenApply(List::of);
  }

  @Override
  public CompletionStage<Void> ping(RedisLink link) {
    return link.async().ping().thenApply(pong -> null);
  }

  @Override
  public boolean isCluster() {
    return false;
  }

  @Override
  public void shutdown() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
