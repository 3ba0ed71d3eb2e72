package dev.relay.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * Envelope v1: what every subscriber receives for an event (SPEC §3). {@code nonce} and {@code
 * actor} may be null and are then left out of the JSON form. {@code issuedAt} is never null: given
 * as null (no publisher {@code timestamp}) it is {@code publishedAt} (SPEC §2), so every envelope
 * carries both.
 */
public record Envelope(
    String id,
    String room,
    String type,
    ObjectNode payload,
    Instant issuedAt,
    Instant publishedAt,
    String nonce,
    String actor) {

  public static final int VERSION = 1;

  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(publishedAt, "publishedAt");
    issuedAt = issuedAtOr(issuedAt, publishedAt);
  }

  /** The one rule for {@code issuedAt}: the publisher's timestamp, else {@code publishedAt}. */
  static Instant issuedAtOr(Instant timestamp, Instant publishedAt) {
    return timestamp != null ? timestamp : publishedAt;
  }
}
