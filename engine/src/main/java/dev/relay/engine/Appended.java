package dev.relay.engine;

import dev.relay.contracts.EventId;

/** The answer to an append: the event's id, and whether the nonce had been seen before. */
public record Appended(EventId id, String room, boolean duplicate) {}
