package dev.relay.service.metrics;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisEventLog;
import dev.relay.engine.redis.RedisStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.inject.Named;
import java.util.Optional;

/**
 * Registers the Redis connection counters of a process (label {@code client}: {@code events} for
 * the event log, {@code stores} for presence, sessions, revocations and rate limits). Both now read
 * the process's one Redis client (see {@code EngineFactory}), so they report the same counts: read
 * one, do not add them; the two labels stay so dashboards and alerts keep their series. Counters
 * are monotonic since start. Every series exists in every mode: on the memory engine (and for a
 * client a process does not open) it stays at zero, so a dashboard or an alert over these names
 * finds a series instead of "no data":
 *
 * <ul>
 *   <li>{@code relay_redis_connections_lost_total}: established connections that went down;
 *   <li>{@code relay_redis_reconnect_attempts_total}, {@code relay_redis_reconnect_failures_total};
 *   <li>{@code relay_redis_command_failures_total}: commands answered with a connection failure or
 *       timeout instead of a Redis reply.
 * </ul>
 */
@Context
@Named("redis-metrics")
public class RedisMetrics {

  // Held here because meters keep only a weak reference to what they observe; the zero stand-ins
  // for an absent client would otherwise be collected and read as NaN.
  private final RedisStats events;
  private final RedisStats stores;

  public RedisMetrics(EventLog log, Optional<RedisConnections> stores, MeterRegistry meters) {
    this.events = log instanceof RedisEventLog redis ? redis.redisStats() : new RedisStats();
    this.stores = stores.map(RedisConnections::stats).orElseGet(RedisStats::new);
    register(this.events, "events", meters);
    register(this.stores, "stores", meters);
  }

  private static void register(RedisStats stats, String client, MeterRegistry meters) {
    FunctionCounter.builder("relay.redis.connections.lost", stats, RedisStats::connectionsLost)
        .description("Established Redis connections that went down")
        .tag("client", client)
        .register(meters);
    FunctionCounter.builder("relay.redis.reconnect.attempts", stats, RedisStats::reconnectAttempts)
        .description("Attempts to reconnect a lost Redis connection")
        .tag("client", client)
        .register(meters);
    FunctionCounter.builder("relay.redis.reconnect.failures", stats, RedisStats::reconnectFailures)
        .description("Failed attempts to reconnect to Redis")
        .tag("client", client)
        .register(meters);
    FunctionCounter.builder("relay.redis.command.failures", stats, RedisStats::commandFailures)
        .description("Redis commands that failed for want of a connection or timed out")
        .tag("client", client)
        .register(meters);
  }
}
