package dev.relay.gateway.server;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.gateway.protocol.socketio.EngineIoSettings;
import dev.relay.gateway.session.SessionLimits;
import dev.relay.service.config.ConfigException;
import dev.relay.service.config.EnvConfig;
import dev.relay.service.config.SecretKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's configuration, validated at start-up; every value comes from the environment
 * variable named beside it (docs/configuration.md).
 *
 * @param signingSecrets {@code JWT_SIGNING_SECRET}: HS256 secrets, the first signs, all verify
 * @param allowedOrigins {@code RELAY_ALLOWED_ORIGINS}: browser origins allowed to connect; empty
 *     refuses every browser (dev mode defaults to localhost)
 * @param tokenMaxLifetime {@code RELAY_TOKEN_MAX_LIFETIME}: longest {@code exp - iat} accepted
 * @param tokenSkew {@code RELAY_TOKEN_SKEW}: clock skew tolerated on {@code exp}/{@code nbf}
 * @param maxFrameBytes {@code RELAY_MAX_FRAME_BYTES}: larger client messages are closed with 1009
 * @param pingInterval {@code RELAY_PING_INTERVAL}: a silent connection gets a WebSocket ping
 * @param idleTimeout {@code RELAY_IDLE_TIMEOUT}: a connection silent this long is dropped
 * @param strictEvents {@code RELAY_STRICT_EVENTS}: refuse unknown client event types
 * @param drainWindow {@code RELAY_DRAIN_WINDOW}: on SIGTERM, connections are closed over this span
 * @param maxOutboundBytes {@code RELAY_MAX_OUTBOUND_BYTES}: bytes queued for one connection and not
 *     yet taken by it; over it the connection is closed 1013 (SPEC §10)
 * @param sseHeartbeat {@code RELAY_SSE_HEARTBEAT}: how often an SSE stream gets a comment line
 * @param socketIo {@code RELAY_SIO_PING_INTERVAL}, {@code RELAY_SIO_PING_TIMEOUT}: Engine.IO
 *     heartbeat (25 s / 20 s); its max payload is {@code RELAY_MAX_FRAME_BYTES}
 */
public record GatewaySettings(
    SecretKeys signingSecrets,
    List<String> allowedOrigins,
    Duration tokenMaxLifetime,
    Duration tokenSkew,
    int maxFrameBytes,
    Duration pingInterval,
    Duration idleTimeout,
    boolean strictEvents,
    Duration drainWindow,
    SessionLimits limits,
    long maxOutboundBytes,
    Duration sseHeartbeat,
    EngineIoSettings socketIo) {

  public static GatewaySettings from(EnvConfig config, boolean devMode) {
    SessionLimits defaults = SessionLimits.defaults();
    List<String> allowed = config.list("RELAY_ALLOWED_ORIGINS");
    List<String> origins =
        !allowed.isEmpty()
            ? allowed
            : (devMode ? List.of("http://localhost:*", "http://127.0.0.1:*") : List.of());
    int maxFrameBytes = config.integer("RELAY_MAX_FRAME_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024);
    return new GatewaySettings(
        config.secrets("JWT_SIGNING_SECRET", 32),
        origins,
        config.duration(
            "RELAY_TOKEN_MAX_LIFETIME", Duration.ofSeconds(300), Duration.ofSeconds(10)),
        config.duration("RELAY_TOKEN_SKEW", Duration.ofSeconds(30), Duration.ZERO),
        maxFrameBytes,
        config.duration("RELAY_PING_INTERVAL", Duration.ofSeconds(25), Duration.ofSeconds(1)),
        config.duration("RELAY_IDLE_TIMEOUT", Duration.ofSeconds(60), Duration.ofSeconds(2)),
        config.flag("RELAY_STRICT_EVENTS", false),
        config.duration("RELAY_DRAIN_WINDOW", Duration.ofSeconds(10), Duration.ZERO),
        new SessionLimits(
            config.integer(
                "RELAY_MAX_ROOMS_PER_CONNECTION", defaults.maxRoomsPerConnection(), 1, 10_000),
            config.integer(
                "RELAY_MAX_CLIENT_PAYLOAD_BYTES", defaults.maxClientPayloadBytes(), 64, 1 << 20),
            config.integer("RELAY_MAX_REPLAY_EVENTS", defaults.maxReplayEvents(), 1, 1_000_000),
            config.duration("RELAY_AUTH_TIMEOUT", defaults.authTimeout(), Duration.ofSeconds(1)),
            subscribeLimit(config, defaults.subscribeLimit())),
        config.integer("RELAY_MAX_OUTBOUND_BYTES", 1 << 20, 16 * 1024, 1 << 30),
        config.duration("RELAY_SSE_HEARTBEAT", Duration.ofSeconds(15), Duration.ofMillis(100)),
        new EngineIoSettings(
            config.duration(
                "RELAY_SIO_PING_INTERVAL", Duration.ofSeconds(25), Duration.ofMillis(100)),
            config.duration(
                "RELAY_SIO_PING_TIMEOUT", Duration.ofSeconds(20), Duration.ofMillis(100)),
            maxFrameBytes));
  }

  /** {@code RELAY_SUBSCRIBE_LIMIT}: a rate such as {@code 20/s}; the burst is twice the rate. */
  private static Limit subscribeLimit(EnvConfig config, Limit fallback) {
    Optional<String> raw = config.get("RELAY_SUBSCRIBE_LIMIT");
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      Limit rate = Limit.parse(raw.get());
      return rate.withBurst(2 * rate.capacity());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("RELAY_SUBSCRIBE_LIMIT must be a rate such as 20/s");
    }
  }
}
