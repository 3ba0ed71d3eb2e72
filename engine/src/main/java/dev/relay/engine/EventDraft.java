package dev.relay.engine;

import dev.relay.engine.ratelimit.Limit;
import java.time.Instant;
import java.util.Objects;

/**
 * An event about to be appended. {@code payloadJson} is a JSON object already validated by the
 * caller. {@code nonce}, {@code issuedAt}, {@code actor} and {@code traceparent} may be null.
 *
 * <p>{@code roomLimit}, when not null, is the room's publish token bucket (SPEC §2 per-room limit):
 * the log takes one token from the room's bucket in the same atomic step as the append, or refuses
 * the event with {@link Appended#rateLimited} and stores nothing. Null: no room limit (stream
 * lines, whose stream took one token up front; gateway client events).
 */
public record EventDraft(
    String room,
    String type,
    String payloadJson,
    String nonce,
    Instant issuedAt,
    String actor,
    String traceparent,
    Limit roomLimit) {

  /** A draft without a room limit. */
  public EventDraft(
      String room,
      String type,
      String payloadJson,
      String nonce,
      Instant issuedAt,
      String actor,
      String traceparent) {
    this(room, type, payloadJson, nonce, issuedAt, actor, traceparent, null);
  }

  /** This draft with the room's publish limit {@code limit} to enforce on append. */
  public EventDraft withRoomLimit(Limit limit) {
    return new EventDraft(room, type, payloadJson, nonce, issuedAt, actor, traceparent, limit);
  }

  public EventDraft {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payloadJson, "payloadJson");
  }
}
