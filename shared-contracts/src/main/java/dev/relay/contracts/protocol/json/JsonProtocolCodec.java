package dev.relay.contracts.protocol.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.ClientMessageDecoder;
import dev.relay.contracts.protocol.InvalidMessageException;

/**
 * Parses client messages of the JSON protocol: the JSON text and its {@code type} and {@code ref}
 * here, the fields in {@link ClientMessageDecoder} (shared with Socket.IO). {@link #parse} either
 * returns a well-formed message or throws {@link InvalidMessageException}; it never throws anything
 * else, whatever the input, and bounds its work (nesting depth, string length). Thread-safe.
 */
public final class JsonProtocolCodec {

  public static final String INVALID = ClientMessageDecoder.INVALID;

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
    String ref = ClientMessageDecoder.optional(node, "ref", ClientMessageDecoder.MAX_REF, null);
    String type = ClientMessageDecoder.optional(node, "type", ClientMessageDecoder.MAX_TYPE, ref);
    if (type == null) {
      throw new InvalidMessageException(INVALID, "type is required", ref);
    }
    return ClientMessageDecoder.decode(type, node, ref);
  }
}
