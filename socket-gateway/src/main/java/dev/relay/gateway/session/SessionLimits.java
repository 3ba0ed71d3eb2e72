package dev.relay.gateway.session;

import java.time.Duration;

/**
 * Per-connection limits.
 *
 * @param maxRoomsPerConnection rooms one connection may be in at once
 * @param maxClientPayloadBytes largest payload of a client-published event (UTF-8 JSON)
 * @param maxReplayEvents most events one recovery replays before answering {@code recovered:false}
 * @param authTimeout how long a connection may stay unauthenticated
 */
public record SessionLimits(
    int maxRoomsPerConnection,
    int maxClientPayloadBytes,
    int maxReplayEvents,
    Duration authTimeout) {

  public static SessionLimits defaults() {
    return new SessionLimits(100, 16 * 1024, 10_000, Duration.ofSeconds(10));
  }
}
