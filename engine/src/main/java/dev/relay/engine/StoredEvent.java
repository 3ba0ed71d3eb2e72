package dev.relay.engine;

import dev.relay.contracts.EventId;

/**
 * An event as read back from the log. {@code envelopeJson} is the complete envelope v1 JSON, id
 * included, ready to be written to clients without re-encoding.
 */
public record StoredEvent(
    EventId id,
    String room,
    String type,
    boolean volatileEvent,
    String envelopeJson,
    String traceparent) {}
