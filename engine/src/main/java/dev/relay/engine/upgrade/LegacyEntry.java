package dev.relay.engine.upgrade;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.engine.EventDraft;
import java.io.IOException;
import java.util.Map;

/**
 * One entry of an old partition stream, read by {@link PartitionBridge}: what the old release
 * stored ({@code ep r t x [tp] e}, see {@link PartitionLayout}) and the draft that appends the same
 * event to the new per-room layout.
 *
 * @param id the entry's old event id, {@code <stream id>.<partition epoch>}
 */
record LegacyEntry(EventId id, EventDraft draft) {

  /** The prefix of the nonce given to a copied event that had none. */
  static final String NONCE_PREFIX = "legacy-";

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Reads an entry; null for one the old release could not have written (a field missing, an
   * envelope that does not parse).
   *
   * <p>The draft keeps the event's room, type, payload, {@code issuedAt}, {@code actor} and {@code
   * traceparent}; {@code publishedAt} becomes the time of the copy. Its nonce is the event's own
   * when it had one, so a publisher retrying the same request on a new publish-api meets the copy
   * as a duplicate; otherwise {@code legacy-<old id>}, unique per entry of the room's partition.
   * Either way every bridge copying the entry uses the same nonce, and the room append's atomic
   * nonce check stores it once.
   */
  static LegacyEntry parse(String streamId, Map<String, String> body) {
    String epoch = body.get(PartitionLayout.EPOCH);
    String room = body.get(PartitionLayout.ROOM);
    String type = body.get(PartitionLayout.TYPE);
    String stored = body.get(PartitionLayout.ENVELOPE);
    if (epoch == null || room == null || type == null || stored == null) {
      return null;
    }
    EventId id;
    Envelope envelope;
    try {
      id = EventId.ofStreamId(streamId, epoch);
      envelope = EnvelopeCodec.decode(EnvelopeCodec.withId(stored, id.toString()));
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!room.equals(envelope.room()) || !type.equals(envelope.type())) {
      return null;
    }
    String payload = rawPayload(stored);
    if (payload == null) {
      return null;
    }
    String nonce = envelope.nonce() != null ? envelope.nonce() : NONCE_PREFIX + id;
    EventDraft draft =
        new EventDraft(
            room,
            type,
            payload,
            nonce,
            envelope.issuedAt(),
            envelope.actor(),
            body.get(PartitionLayout.TRACEPARENT));
    return new LegacyEntry(id, draft);
  }

  /** True for an entry {@link LegacyMirror} wrote: it came from the new layout. */
  static boolean isMirrored(Map<String, String> body) {
    return PartitionLayout.FROM_ROOMS.equals(body.get(PartitionLayout.SOURCE));
  }

  /**
   * The payload exactly as stored (the old release wrote it verbatim, {@code writeRawValue}), so a
   * copy does not re-encode numbers or escapes; null if there is no payload object.
   */
  static String rawPayload(String storedEnvelope) {
    String json = "{" + storedEnvelope;
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("payload".equals(field) && value == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getCharOffset();
          return json.substring(start, end);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
