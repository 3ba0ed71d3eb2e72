package dev.relay.engine;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;

/**
 * The answer to an append: the event's id, and whether it had been stored before. {@code
 * envelopeJson} is the stored envelope exactly as every subscriber receives it (same bytes, same
 * {@code publishedAt}), so a copy sent elsewhere (the webhook) cannot disagree with it; it is null
 * for a duplicate, whose stored envelope is the first append's.
 *
 * <p>A duplicate is a nonce seen before (the first append's id), or a {@code message.delta} whose
 * {@code seq} its message already has (the id of the message's newest delta). {@code rejected} is
 * the error code ({@link dev.relay.contracts.ErrorCodes}) of a streamed-message event the engine
 * refused (nothing stored, nothing published; {@code id} null), else null: a streamed-message
 * refusal, or {@link ErrorCodes#RATE_LIMITED} when the draft's room limit had no token left, then
 * with {@code retryAfterSeconds} (1–60) set.
 */
public record Appended(
    EventId id,
    String room,
    boolean duplicate,
    String envelopeJson,
    String rejected,
    int retryAfterSeconds) {

  public Appended(EventId id, String room, boolean duplicate, String envelopeJson) {
    this(id, room, duplicate, envelopeJson, null, 0);
  }

  /** Refused by the room's publish limit: nothing stored, retry after 1–60 whole seconds. */
  public static Appended rateLimited(String room, int retryAfterSeconds) {
    return new Appended(null, room, false, null, ErrorCodes.RATE_LIMITED, retryAfterSeconds);
  }

  /** Whether the room's publish limit refused the event ({@link #rateLimited}). */
  public boolean isRateLimited() {
    return ErrorCodes.RATE_LIMITED.equals(rejected);
  }

  /** Refused by the engine with {@code code}: nothing was stored. */
  public static Appended rejected(String room, String code) {
    return new Appended(null, room, false, null, code, 0);
  }

  public boolean isRejected() {
    return rejected != null;
  }
}
