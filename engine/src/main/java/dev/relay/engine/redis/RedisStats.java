package dev.relay.engine.redis;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection health counters of one {@link RedisConnections}, fed by the Redis client's event bus:
 * connections lost, reconnect attempts and failed reconnect attempts, and commands that failed
 * because Redis was unreachable or timed out. Monotonic since start; thread-safe.
 */
public final class RedisStats {

  private final LongAdder connectionsLost = new LongAdder();
  private final LongAdder reconnectAttempts = new LongAdder();
  private final LongAdder reconnectFailures = new LongAdder();
  private final LongAdder commandFailures = new LongAdder();

  void on(Event event, boolean closing) {
    if (event instanceof ConnectionDeactivatedEvent && !closing) {
      connectionsLost.increment();
    } else if (event instanceof ReconnectAttemptEvent) {
      reconnectAttempts.increment();
    } else if (event instanceof ReconnectFailedEvent) {
      reconnectFailures.increment();
    }
  }

  void commandFailed() {
    commandFailures.increment();
  }

  /** Established connections that went down while this client was open. */
  public long connectionsLost() {
    return connectionsLost.sum();
  }

  /** Attempts to reconnect a lost connection (each try of the backoff counts once). */
  public long reconnectAttempts() {
    return reconnectAttempts.sum();
  }

  /** Reconnect attempts that failed. */
  public long reconnectFailures() {
    return reconnectFailures.sum();
  }

  /** Commands answered with a connection failure or timeout instead of a Redis reply. */
  public long commandFailures() {
    return commandFailures.sum();
  }
}
