package dev.relay.engine;

import dev.relay.contracts.EventId;

/**
 * The answer to an append: the event's id, and whether the nonce had been seen before. {@code
 * envelopeJson} is the stored envelope exactly as every subscriber receives it (same bytes, same
 * {@code publishedAt}), so a copy sent elsewhere (the webhook) cannot disagree with it; it is null
 * for a duplicate, whose stored envelope is the first append's.
 */
public record Appended(EventId id, String room, boolean duplicate, String envelopeJson) {}
