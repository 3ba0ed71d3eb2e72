package dev.relay.engine;

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
 * refused (nothing stored, nothing published; {@code id} null), else null.
 */
public record Appended(
    EventId id, String room, boolean duplicate, String envelopeJson, String rejected) {

  public Appended(EventId id, String room, boolean duplicate, String envelopeJson) {
    this(id, room, duplicate, envelopeJson, null);
  }

  /** Refused by the engine with {@code code}: nothing was stored. */
  public static Appended rejected(String room, String code) {
    return new Appended(null, room, false, null, code);
  }

  public boolean isRejected() {
    return rejected != null;
  }
}
