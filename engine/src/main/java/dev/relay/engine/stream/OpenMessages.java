package dev.relay.engine.stream;

import dev.relay.contracts.EventId;
import java.util.List;

/**
 * The open messages of a room read in one atomic step with the room's newest id {@code at}: every
 * delta at or before {@code at} is in {@code messages}, none after it is. So a reader that sends
 * these snapshots, then only the deltas after {@code at}, sends every piece once. {@code at} is
 * null when the room has no life yet (then there is no message either).
 */
public record OpenMessages(EventId at, List<OpenMessage> messages) {

  public OpenMessages {
    messages = List.copyOf(messages);
  }

  public static OpenMessages none() {
    return new OpenMessages(null, List.of());
  }
}
