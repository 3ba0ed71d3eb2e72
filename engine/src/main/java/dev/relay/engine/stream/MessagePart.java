package dev.relay.engine.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.EventType;
import dev.relay.engine.EventDraft;
import java.util.Optional;

/**
 * What an append of a streamed-message event (SPEC §12) does to its message: a {@code
 * message.delta} appends {@code delta} as piece {@code seq}; a {@code message.completed} closes the
 * message. Read from a draft whose payload the caller validated against the type's schema.
 *
 * @param seq the delta's seq (0 for a completion)
 * @param delta the delta's text (empty for a completion)
 */
public record MessagePart(
    boolean completion, String messageId, String conversationId, long seq, String delta) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The part a draft carries; empty for every other type, and for a payload without a usable {@code
   * messageId} (the caller's validation refuses those first; the engine then stores the event
   * without touching any message).
   */
  public static Optional<MessagePart> of(EventDraft draft) {
    boolean delta = EventType.MESSAGE_DELTA.equals(draft.type());
    if (!delta && !EventType.MESSAGE_COMPLETED.equals(draft.type())) {
      return Optional.empty();
    }
    JsonNode payload;
    try {
      payload = MAPPER.readTree(draft.payloadJson());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    String messageId = payload.path("messageId").asText("");
    if (messageId.isEmpty()) {
      return Optional.empty();
    }
    String conversationId = payload.path("conversationId").asText("");
    if (!delta) {
      return Optional.of(new MessagePart(true, messageId, conversationId, 0, ""));
    }
    JsonNode seq = payload.path("seq");
    if (!seq.canConvertToLong() || !seq.isIntegralNumber()) {
      return Optional.of(new MessagePart(false, messageId, conversationId, -1, ""));
    }
    return Optional.of(
        new MessagePart(
            false, messageId, conversationId, seq.asLong(), payload.path("delta").asText("")));
  }
}
