package dev.relay.gateway.session;

import dev.relay.engine.ratelimit.Limit;
import java.time.Duration;

/**
 * Per-connection limits.
 *
 * @param maxRoomsPerConnection rooms one connection may be in at once
 * @param maxClientPayloadBytes largest payload of a client-published event (UTF-8 JSON)
 * @param maxReplayEvents most events one recovery replays before answering {@code recovered:false}
 * @param authTimeout how long a connection may stay unauthenticated
 * @param subscribeLimit subscribe and unsubscribe requests of one connection (SPEC §10: 20/s, burst
 *     40); over it → {@code rate_limited}
 */
public record SessionLimits(
    int maxRoomsPerConnection,
    int maxClientPayloadBytes,
    int maxReplayEvents,
    Duration authTimeout,
    Limit subscribeLimit) {

  /** Messages a JSON client may send before {@code welcome}; handled in order after it. */
  public static final int MAX_EARLY_MESSAGES = 16;

  public static SessionLimits defaults() {
    return new SessionLimits(
        100, 16 * 1024, 10_000, Duration.ofSeconds(10), Limit.perSecond(20).withBurst(40));
  }
}
