package dev.relay.contracts.protocol.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.json.ClientMessage.Auth;
import dev.relay.contracts.protocol.json.ClientMessage.Ping;
import dev.relay.contracts.protocol.json.ClientMessage.Presence;
import dev.relay.contracts.protocol.json.ClientMessage.Publish;
import dev.relay.contracts.protocol.json.ClientMessage.Refresh;
import dev.relay.contracts.protocol.json.ClientMessage.Subscribe;
import dev.relay.contracts.protocol.json.ClientMessage.Unsubscribe;

/**
 * Parses client messages of the JSON protocol. {@link #parse} either returns a well-formed message
 * or throws {@link InvalidMessageException}; it never throws anything else, whatever the input, and
 * bounds its work (nesting depth, string length). Fields are checked for presence and type here;
 * whether a room name is valid or allowed is the gateway's business. Thread-safe.
 */
public final class JsonProtocolCodec {

  public static final String INVALID = "invalid_message";
  private static final int MAX_REF = 64;
  private static final int MAX_TOKEN = 8192;
  private static final int MAX_FIELD = 256;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build()
          .configure(
              com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1 << 20)
                .maxNumberLength(64)
                .build());
  }

  private JsonProtocolCodec() {}

  public static ClientMessage parse(String text) throws InvalidMessageException {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new InvalidMessageException(INVALID, "message is not valid JSON", null);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidMessageException(INVALID, "message must be a JSON object", null);
    }
    String ref = optional(node, "ref", MAX_REF, null);
    String type = optional(node, "type", 32, ref);
    if (type == null) {
      throw new InvalidMessageException(INVALID, "type is required", ref);
    }
    return switch (type) {
      case "auth" -> new Auth(required(node, "token", MAX_TOKEN, ref), ref);
      case "subscribe" -> subscribe(node, ref);
      case "unsubscribe" -> new Unsubscribe(required(node, "room", MAX_FIELD, ref), ref);
      case "publish" -> publish(node, ref);
      case "presence" -> new Presence(required(node, "room", MAX_FIELD, ref), ref);
      case "refresh" -> new Refresh(required(node, "token", MAX_TOKEN, ref), ref);
      case "ping" -> new Ping(ref);
      default -> throw new InvalidMessageException(INVALID, "unknown type " + type, ref);
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
    if (teamId != null) {
      return new Subscribe("team:" + teamId, token, since, "teamId", teamId, ref);
    }
    if (taskId != null) {
      return new Subscribe("task:" + taskId, token, since, "taskId", taskId, ref);
    }
    return new Subscribe(room, token, since, null, null, ref);
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

  private static String required(JsonNode node, String field, int maxLength, String ref)
      throws InvalidMessageException {
    String value = optional(node, field, maxLength, ref);
    if (value == null) {
      throw new InvalidMessageException(INVALID, field + " is required", ref);
    }
    return value;
  }

  private static String optional(JsonNode node, String field, int maxLength, String ref)
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
