package dev.relay.contracts.protocol.socketio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON reader and writer of the Socket.IO codecs. Reading is bounded by Jackson's {@link
 * StreamReadConstraints} (nesting depth, string and number length), rejects trailing content, and
 * keeps non-integral numbers as {@link java.math.BigDecimal}, trailing zeros included, so that they
 * re-encode exactly as received and never become infinities. Thread-safe.
 */
final class BoundedJson {

  /** Deepest nesting of arrays and objects accepted in packet data. */
  static final int MAX_DEPTH = 64;

  private static final int MAX_NUMBER_LENGTH = 100;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private BoundedJson() {}

  /**
   * Parses one JSON value; the caller has already bounded {@code text}'s length.
   *
   * @throws ProtocolException naming {@code what} when the text is not exactly one JSON value
   *     within the limits
   */
  static JsonNode parse(String text, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(
          what
              + " exceeds the JSON limits (nesting depth "
              + MAX_DEPTH
              + ", number length "
              + MAX_NUMBER_LENGTH
              + ")");
    } catch (JsonProcessingException | RuntimeException e) {
      throw new ProtocolException(what + " is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      throw new ProtocolException(what + " is empty");
    }
    return node;
  }

  /** Compact JSON of {@code node}. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode JSON data", e);
    }
  }
}
