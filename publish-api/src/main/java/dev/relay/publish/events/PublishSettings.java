package dev.relay.publish.events;

import dev.relay.service.config.EnvConfig;
import dev.relay.service.config.SecretKeys;

/**
 * publish-api configuration, validated at start-up. Secrets stay out of {@link #toString()}.
 *
 * @param apiKeys {@code RELAY_API_KEY}: one or more comma-separated keys, each ≥ 32 characters
 * @param maxPayloadBytes {@code RELAY_MAX_PAYLOAD_BYTES}: largest serialized payload (default 64
 *     KiB)
 * @param strictEvents {@code RELAY_STRICT_EVENTS}: refuse event types without a schema
 */
public record PublishSettings(SecretKeys apiKeys, int maxPayloadBytes, boolean strictEvents) {

  public static final int MIN_KEY_LENGTH = 32;
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Room for everything in a request besides the payload: target, event, nonce, timestamp. */
  public static final int ENVELOPE_OVERHEAD_BYTES = 8 * 1024;

  public static final int MAX_BATCH = 100;

  /** The largest raw body of a batch (SPEC §10), whatever the payload limit. */
  public static final long MAX_BATCH_BODY_BYTES = 8L * 1024 * 1024;

  public static PublishSettings from(EnvConfig config) {
    return new PublishSettings(
        config.secrets("RELAY_API_KEY", MIN_KEY_LENGTH),
        maxPayloadBytes(config),
        config.flag("RELAY_STRICT_EVENTS", false));
  }

  /** The largest raw body of a single publish. */
  public int maxSingleBodyBytes() {
    return maxPayloadBytes + ENVELOPE_OVERHEAD_BYTES;
  }

  /** The largest raw body of a batch: {@link #MAX_BATCH_BODY_BYTES}. */
  public long maxBatchBodyBytes() {
    return MAX_BATCH_BODY_BYTES;
  }

  private static int maxPayloadBytes(EnvConfig config) {
    return config.integer("RELAY_MAX_PAYLOAD_BYTES", DEFAULT_MAX_PAYLOAD_BYTES, 1024, 1024 * 1024);
  }
}
