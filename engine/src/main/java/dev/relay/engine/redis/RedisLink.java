package dev.relay.engine.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One Lettuce connection, standalone or cluster, with the asynchronous commands both kinds share
 * ({@link RedisClusterAsyncCommands}: every single-key and single-slot command, scripts, streams).
 * On a cluster connection each command is routed to the master owning its key's slot.
 */
public record RedisLink(
    StatefulConnection<String, String> connection,
    RedisClusterAsyncCommands<String, String> async) {}
