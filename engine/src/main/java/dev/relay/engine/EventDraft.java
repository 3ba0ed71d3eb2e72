package dev.relay.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * An event about to be appended. {@code payloadJson} is a JSON object already validated by the
 * caller. {@code nonce}, {@code issuedAt}, {@code actor} and {@code traceparent} may be null.
 */
public record EventDraft(
    String room,
    String type,
    String payloadJson,
    String nonce,
    Instant issuedAt,
    String actor,
    String traceparent) {

  public EventDraft {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payloadJson, "payloadJson");
  }
}
