package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.EventType;
import dev.relay.engine.EventLog;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.stream.OpenMessage;
import dev.relay.engine.stream.OpenMessages;
import dev.relay.gateway.hub.Delivery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@code message.snapshot}s (SPEC §12): what a connection gets, per open streamed message of a
 * room, when it subscribes, recovers or asks for history. The open messages are read ({@link
 * EventLog#openMessages}) after the room's position is known: once its follow answered (before the
 * answer to a subscribe or a connect; sent when the room is released), or once its replay or
 * history was read ({@link Recovery}); in one atomic step with the room's newest id A. The
 * connection then gets one snapshot per open message, and of the deltas only those after A ({@link
 * RoomState#deltaFloor}): every delta at or before A is in a snapshot or belongs to a message
 * completed by A (whose {@code message.completed} the connection gets as any other event). So no
 * piece is missing or doubled.
 *
 * <p>A snapshot's envelope {@code id} is the room's position on this connection when it is sent
 * (the last event delivered there, or the start position): a valid resume point that skips nothing
 * the connection has not yet received. It is not new: it may equal an earlier event's id.
 */
final class Snapshots {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Snapshots() {}

  /** Reads the open messages of every room, in parallel; fails if any read fails. */
  static CompletableFuture<Map<String, OpenMessages>> read(EventLog log, List<String> rooms) {
    Map<String, CompletableFuture<OpenMessages>> reads = new HashMap<>();
    try {
      for (String room : rooms) {
        reads.put(room, log.openMessages(room).toCompletableFuture());
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, OpenMessages> out = new HashMap<>();
              reads.forEach((room, read) -> out.put(room, read.join()));
              return out;
            });
  }

  /**
   * Reads the open messages of {@code rooms} and keeps each with its room's state (see {@link
   * RoomState#pendingSnapshot}) until the room is released, for rooms still held; completes on
   * {@code executor}, which confines the states.
   */
  static CompletableFuture<Void> readHeld(
      EventLog log, List<String> rooms, Function<String, RoomState> states, Executor executor) {
    return read(log, rooms)
        .thenAcceptAsync(
            open -> {
              for (String room : rooms) {
                RoomState state = states.apply(room);
                if (state != null && state.buffer != null) {
                  state.pendingSnapshot = open.get(room);
                }
              }
            },
            executor);
  }

  /**
   * Sends one snapshot per open message of {@code room} and sets the room's delta floor; call on
   * the session's executor before any later delta of the room is delivered.
   */
  static void send(ClientSession session, String room, RoomState state, OpenMessages open) {
    if (open == null || open.at() == null) {
      return;
    }
    // Mostly the room's position itself (nothing published since the follow): then one object,
    // not a second copy per connection (#17, idle heap per connection).
    state.deltaFloor = open.at().equals(state.position) ? state.position : open.at();
    EventId id = state.position == null ? open.at() : state.position;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (OpenMessage message : open.messages()) {
      session.channel().sendEvent(new Delivery(event(room, id, message, now)));
    }
  }

  static StoredEvent event(String room, EventId id, OpenMessage message, Instant now) {
    ObjectNode payload = MAPPER.createObjectNode();
    payload.put("messageId", message.messageId());
    payload.put("conversationId", message.conversationId());
    payload.put("seq", message.seq());
    payload.put("content", message.content());
    String envelope =
        EnvelopeCodec.encodeWithoutId(
            room, EventType.MESSAGE_SNAPSHOT, payload.toString(), null, now, null, null);
    return new StoredEvent(
        id,
        room,
        EventType.MESSAGE_SNAPSHOT,
        true,
        EnvelopeCodec.withId(envelope, id.toString()),
        null);
  }
}
