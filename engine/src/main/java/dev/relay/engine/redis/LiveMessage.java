package dev.relay.engine.redis;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import java.util.Optional;

/**
 * One message on a room's sharded channel, as {@code append.lua} publishes it: {@code
 * id|epoch|prev|volatile|type|traceparent|envelopeWithoutId}. The first six fields never contain
 * {@code |} (stream ids, base-36 epochs, {@code 0}/{@code 1}, event type names, W3C traceparents);
 * the envelope comes last and is taken whole, so it is never parsed or re-encoded.
 *
 * @param previousStreamId the stream id of the room's entry before this one in the same epoch,
 *     {@code 0-0} for the epoch's first
 */
record LiveMessage(StoredEvent event, String previousStreamId) {

  private static final int FIELDS = 7;

  /** The message, or empty for one Relay did not publish (it is then ignored). */
  static Optional<LiveMessage> parse(String room, String text) {
    String[] f = text.split("\\|", FIELDS);
    if (f.length != FIELDS) {
      return Optional.empty();
    }
    Optional<EventId> id = EventId.parse(f[0] + "." + f[1]);
    if (id.isEmpty() || EventId.parse(f[2] + "." + f[1]).isEmpty()) {
      return Optional.empty();
    }
    String traceparent = f[5].isEmpty() ? null : f[5];
    StoredEvent event =
        new StoredEvent(
            id.get(),
            room,
            f[4],
            "1".equals(f[3]),
            EnvelopeCodec.withId(f[6], id.get().toString()),
            traceparent);
    return Optional.of(new LiveMessage(event, f[2]));
  }
}
