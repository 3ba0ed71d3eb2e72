package dev.relay.publish.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One streaming pass over a single event's body, without building a tree: the top-level string
 * fields and the payload's text as the publisher wrote it. It applies only to the common case, a
 * body as {@code JSON.stringify} or Jackson writes it: plain ASCII without a backslash, a payload
 * without whitespace between its tokens whose numbers are written the way {@link EventParser} would
 * write them back. For that case the payload's text is, byte for byte, what parsing it into a tree
 * and writing it out again gives, so the stored event is the same either way ({@code
 * EventParserFastPathTest} compares the two paths for generated bodies).
 *
 * <p>{@link #read} answers null for anything else: another encoding, an escape, whitespace in the
 * payload, a field of the wrong type, a duplicate key, a syntax error, trailing content. The tree
 * path then decides, with its own errors, so a refused body gets the same answer on both paths.
 * Thread-safe (no state).
 */
final class CompactBody {

  private String sessionId;
  private String room;
  private String event;
  private String nonce;
  private String timestamp;
  private String payloadJson;

  private CompactBody() {}

  /** A top-level string field ({@code sessionId}, {@code room}, ...), null when absent or null. */
  String text(String field) {
    return switch (field) {
      case "sessionId" -> sessionId;
      case "room" -> room;
      case "event" -> event;
      case "nonce" -> nonce;
      case "timestamp" -> timestamp;
      default -> throw new IllegalArgumentException("not a field read here: " + field);
    };
  }

  /** The payload object's text as sent; null when the body has no {@code payload}. */
  String payloadJson() {
    return payloadJson;
  }

  /**
   * The fields of {@code body}, or null when it is not such a compact ASCII object.
   *
   * @param factory configured as the tree path's (duplicate keys, depth and non-numbers refused)
   */
  static CompactBody read(byte[] body, JsonFactory factory) {
    for (byte b : body) {
      if (b < 0 || b == '\\') {
        return null; // non-ASCII or an escape: strings differ from their raw text
      }
    }
    try (JsonParser p = factory.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      CompactBody fields = new CompactBody();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("payload")) {
          if (value != JsonToken.START_OBJECT) {
            return null;
          }
          fields.payloadJson = payload(p, body);
          if (fields.payloadJson == null) {
            return null;
          }
          continue;
        }
        if (!fields.keep(name, p, value)) {
          return null;
        }
      }
      return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? fields : null;
    } catch (IOException | RuntimeException e) {
      return null; // the tree path reports it
    }
  }

  /** Keeps a known string field; false when it is neither a string nor null. */
  private boolean keep(String name, JsonParser p, JsonToken value) throws IOException {
    boolean known =
        switch (name) {
          case "sessionId", "room", "event", "nonce", "timestamp" -> true;
          default -> false;
        };
    if (!known) {
      p.skipChildren(); // still read: a syntax error or a duplicate key inside it is refused
      return true;
    }
    if (value == JsonToken.VALUE_NULL) {
      return true;
    }
    if (value != JsonToken.VALUE_STRING) {
      return false;
    }
    String text = p.getText();
    switch (name) {
      case "sessionId" -> sessionId = text;
      case "room" -> room = text;
      case "event" -> event = text;
      case "nonce" -> nonce = text;
      default -> timestamp = text;
    }
    return true;
  }

  /**
   * The payload object's raw text, the parser on its start; null when writing the parsed value back
   * would give other text: whitespace between tokens, {@code -0}, or a decimal whose exact value
   * prints differently (e.g. {@code 1e2} is written back as {@code 1E+2}).
   */
  private static String payload(JsonParser p, byte[] body) throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    int depth = 1;
    while (depth > 0) {
      JsonToken token = p.nextToken();
      if (token == null) {
        return null;
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_NUMBER_INT -> {
          if (p.getText().startsWith("-0")) {
            return null;
          }
        }
        case VALUE_NUMBER_FLOAT -> {
          if (!p.getDecimalValue().toString().equals(p.getText())) {
            return null;
          }
        }
        default -> {}
      }
    }
    int end = (int) p.currentLocation().getByteOffset();
    if (start < 0 || end <= start || body[start] != '{' || body[end - 1] != '}') {
      return null;
    }
    boolean inString = false;
    for (int i = start; i < end; i++) {
      byte b = body[i];
      if (b == '"') {
        inString = !inString; // no backslash in the body, so every quote opens or closes
      } else if (!inString && (b == ' ' || b == '\t' || b == '\n' || b == '\r')) {
        return null;
      }
    }
    return new String(body, start, end - start, StandardCharsets.ISO_8859_1);
  }
}
