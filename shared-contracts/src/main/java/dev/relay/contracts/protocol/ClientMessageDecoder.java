package dev.relay.contracts.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.protocol.ClientMessage.Auth;
import dev.relay.contracts.protocol.ClientMessage.Ping;
import dev.relay.contracts.protocol.ClientMessage.Presence;
import dev.relay.contracts.protocol.ClientMessage.PresenceSet;
import dev.relay.contracts.protocol.ClientMessage.Publish;
import dev.relay.contracts.protocol.ClientMessage.Refresh;
import dev.relay.contracts.protocol.ClientMessage.Subscribe;
import dev.relay.contracts.protocol.ClientMessage.Unsubscribe;
import java.nio.charset.StandardCharsets;

/**
 * The one home of what a client request may contain, whatever its protocol: the JSON protocol's
 * messages ({@code {"type":"subscribe",…}}) and the Socket.IO request events ({@code
 * 42["subscribe",{…}]}) both decode their fields here into the same {@link ClientMessage} records,
 * with the same bounds. {@link #decode} either returns a well-formed message or throws {@link
 * InvalidMessageException} naming the field; it never throws anything else. Fields are checked for
 * presence, type and length here; whether a room name is valid or allowed is the gateway's
 * business. Thread-safe.
 */
public final class ClientMessageDecoder {

  /** The error code of every refusal here. */
  public static final String INVALID = ErrorCodes.INVALID_MESSAGE;

  public static final int MAX_REF = 64;
  public static final int MAX_TOKEN = 8192;
  public static final int MAX_FIELD = 256;
  public static final int MAX_TYPE = 32;

  /** The most stored events a {@code subscribe} may ask for with {@code history} (SPEC §11). */
  public static final int MAX_HISTORY = 100;

  /**
   * The largest presence {@code state} (here) and token {@code info} claim (the gateway's token
   * verifier), as compact JSON in UTF-8 bytes (SPEC §11); larger is {@code payload_too_large}.
   */
  public static final int MAX_PRESENCE_DATA = 1024;

  private ClientMessageDecoder() {}

  /**
   * Decodes one request of {@code type} whose fields are {@code fields} (a JSON object).
   *
   * @param ref the client's correlation id (JSON {@code ref}, a Socket.IO ack id), or null
   */
  public static ClientMessage decode(String type, JsonNode fields, String ref)
      throws InvalidMessageException {
    if (fields == null || !fields.isObject()) {
      throw new InvalidMessageException(INVALID, "the request must be a JSON object", ref);
    }
    return switch (type) {
      case "auth" -> new Auth(required(fields, "token", MAX_TOKEN, ref), ref);
      case "subscribe" -> subscribe(fields, ref);
      case "unsubscribe" -> new Unsubscribe(required(fields, "room", MAX_FIELD, ref), ref);
      case "publish" -> publish(fields, ref);
      case "presence" -> new Presence(required(fields, "room", MAX_FIELD, ref), ref);
      case "presence.set" -> presenceSet(fields, ref);
      case "refresh" -> new Refresh(required(fields, "token", MAX_TOKEN, ref), ref);
      case "ping" -> new Ping(ref);
      default ->
          throw new InvalidMessageException(
              INVALID, "unknown type " + type.substring(0, Math.min(type.length(), MAX_TYPE)), ref);
    };
  }

  private static Subscribe subscribe(JsonNode node, String ref) throws InvalidMessageException {
    String room = optional(node, "room", MAX_FIELD, ref);
    String teamId = optional(node, "teamId", MAX_FIELD, ref);
    String taskId = optional(node, "taskId", MAX_FIELD, ref);
    int named = (room != null ? 1 : 0) + (teamId != null ? 1 : 0) + (taskId != null ? 1 : 0);
    if (named != 1) {
      throw new InvalidMessageException(
          INVALID, "subscribe needs exactly one of room, teamId, taskId", ref);
    }
    String token = optional(node, "token", MAX_TOKEN, ref);
    String since = optional(node, "since", MAX_FIELD, ref);
    Integer history = history(node, ref);
    if (teamId != null) {
      return new Subscribe("team:" + teamId, token, since, "teamId", teamId, ref, history);
    }
    if (taskId != null) {
      return new Subscribe("task:" + taskId, token, since, "taskId", taskId, ref, history);
    }
    return new Subscribe(room, token, since, null, null, ref, history);
  }

  /** {@code history}: absent or JSON null, or a JSON integer from 1 to {@link #MAX_HISTORY}. */
  private static Integer history(JsonNode node, String ref) throws InvalidMessageException {
    JsonNode value = node.get("history");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 1
        || value.intValue() > MAX_HISTORY) {
      throw new InvalidMessageException(
          INVALID, "history must be an integer from 1 to " + MAX_HISTORY, ref);
    }
    return value.intValue();
  }

  private static Publish publish(JsonNode node, String ref) throws InvalidMessageException {
    String room = required(node, "room", MAX_FIELD, ref);
    String event = required(node, "event", MAX_FIELD, ref);
    JsonNode payload = node.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new InvalidMessageException(INVALID, "payload must be a JSON object", ref);
    }
    return new Publish(room, event, (ObjectNode) payload, ref);
  }

  private static PresenceSet presenceSet(JsonNode node, String ref) throws InvalidMessageException {
    String room = required(node, "room", MAX_FIELD, ref);
    JsonNode state = node.get("state");
    if (state == null || !state.isObject()) {
      throw new InvalidMessageException(INVALID, "state must be a JSON object", ref);
    }
    String json = state.toString();
    if (json.getBytes(StandardCharsets.UTF_8).length > MAX_PRESENCE_DATA) {
      throw new InvalidMessageException(
          ErrorCodes.PAYLOAD_TOO_LARGE, "state larger than " + MAX_PRESENCE_DATA + " bytes", ref);
    }
    return new PresenceSet(room, json, ref);
  }

  private static String required(JsonNode node, String field, int maxLength, String ref)
      throws InvalidMessageException {
    String value = optional(node, field, maxLength, ref);
    if (value == null) {
      throw new InvalidMessageException(INVALID, field + " is required", ref);
    }
    return value;
  }

  /**
   * The text of {@code field}, or null when absent or JSON null; anything else than a string of 1
   * to {@code maxLength} characters is refused.
   */
  public static String optional(JsonNode node, String field, int maxLength, String ref)
      throws InvalidMessageException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidMessageException(INVALID, field + " must be a string", ref);
    }
    String text = value.asText();
    if (text.isEmpty() || text.length() > maxLength) {
      throw new InvalidMessageException(
          INVALID, field + " must be 1 to " + maxLength + " characters", ref);
    }
    return text;
  }
}
