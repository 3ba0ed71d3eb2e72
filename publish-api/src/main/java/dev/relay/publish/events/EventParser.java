package dev.relay.publish.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventType;
import dev.relay.contracts.RoomName;
import dev.relay.engine.EventDraft;
import dev.relay.service.http.ProblemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns an untrusted publish request into an {@link EventDraft}, or a {@link ProblemException}
 * naming the offending field: 400 {@code invalid_request}, or 413 {@code payload_too_large} for a
 * payload over the limit. Never throws anything else, whatever the input. Thread-safe.
 *
 * <p>JSON is read strictly: duplicate keys, trailing content, nesting deeper than {@link
 * #MAX_DEPTH} and invalid UTF-8 are refused; numbers keep their exact value; strings containing
 * unpaired UTF-16 surrogates (and bodies that are not strict UTF-8, e.g. overlong encodings) are
 * refused because they cannot be stored as UTF-8 faithfully. Unknown top-level fields are ignored.
 */
public final class EventParser {

  public static final int MAX_DEPTH = 64;
  public static final int MAX_NONCE_LENGTH = 128;

  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final EventSchemas schemas;
  private final int maxPayloadBytes;
  private final boolean strict;

  public EventParser(EventSchemas schemas, int maxPayloadBytes, boolean strict) {
    this.schemas = schemas;
    this.maxPayloadBytes = maxPayloadBytes;
    this.strict = strict;
  }

  /** Parses a whole body, which must be one JSON object. */
  public JsonNode readObject(byte[] body) {
    if (body == null || body.length == 0) {
      throw ProblemException.invalid("body", "the request body is empty: send a JSON object");
    }
    String text;
    try {
      text =
          isAscii(body)
              ? new String(body, StandardCharsets.ISO_8859_1) // the same text, without a decoder
              : StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(body))
                  .toString();
    } catch (CharacterCodingException e) {
      throw ProblemException.invalid("body", "the request body is not valid UTF-8");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ProblemException.invalid("body", "the request body is not valid JSON: " + reason(e));
    } catch (IOException | RuntimeException e) {
      throw ProblemException.invalid("body", "the request body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ProblemException.invalid("body", "the request body must be a JSON object");
    }
    return node;
  }

  /**
   * Validates one event object (a whole single request, or one element of a batch).
   *
   * @param headerNonce the {@code Idempotency-Key} header, or null
   * @param traceparent the W3C {@code traceparent} header, kept only when well-formed
   */
  public EventDraft parse(JsonNode event, String headerNonce, String traceparent) {
    if (event == null || !event.isObject()) {
      throw ProblemException.invalid("body", "each event must be a JSON object");
    }
    String room = room(event);
    String type = text(event, "event");
    if (type == null) {
      throw ProblemException.invalid("event", "event is required");
    }
    if (!EventType.isValidName(type)) {
      throw ProblemException.invalid(
          "event", "event must be a lowercase dotted name of at most 64 characters");
    }
    if (EventType.MESSAGE_SNAPSHOT.equals(type)) {
      throw ProblemException.invalid("event", "message.snapshot is sent by the relay only");
    }
    String payloadJson = payload(event, type);
    String nonce = nonce(text(event, "nonce"), headerNonce);
    Instant issuedAt = timestamp(text(event, "timestamp"));
    String trace =
        traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
    return new EventDraft(room, type, payloadJson, nonce, issuedAt, null, trace);
  }

  private static String room(JsonNode event) {
    String sessionId = text(event, "sessionId");
    String room = text(event, "room");
    if (sessionId != null && room != null) {
      throw ProblemException.invalid("room", "give exactly one of sessionId or room, not both");
    }
    if (sessionId != null) {
      return RoomName.parse("session:" + sessionId)
          .orElseThrow(
              () ->
                  ProblemException.invalid(
                      "sessionId", "sessionId must match [A-Za-z0-9._~@-]{1,128}"))
          .toString();
    }
    if (room != null) {
      return RoomName.parse(room)
          .orElseThrow(() -> ProblemException.invalid("room", "room must be <kind>:<id> (SPEC §4)"))
          .toString();
    }
    throw ProblemException.invalid("sessionId", "sessionId or room is required");
  }

  private String payload(JsonNode event, String type) {
    JsonNode payload = event.get("payload");
    if (payload == null) {
      payload = MAPPER.createObjectNode();
    }
    if (!payload.isObject()) {
      throw ProblemException.invalid("payload", "payload must be a JSON object");
    }
    String json;
    try {
      json = MAPPER.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw ProblemException.invalid("payload", "payload cannot be encoded as JSON");
    }
    if (json.length() > maxPayloadBytes
        || json.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
      throw new ProblemException(
          413,
          ErrorCodes.PAYLOAD_TOO_LARGE,
          "payload exceeds " + maxPayloadBytes + " bytes",
          "payload",
          0);
    }
    if (hasUnpairedSurrogate(json)) {
      throw ProblemException.invalid("payload", "payload contains an unpaired UTF-16 surrogate");
    }
    if (schemas.isKnown(type)) {
      List<String> problems = schemas.validate(type, payload);
      if (!problems.isEmpty()) {
        throw ProblemException.invalid(fieldOf(problems.get(0)), String.join("; ", problems));
      }
    } else if (strict) {
      throw ProblemException.invalid("event", "unknown event type (strict mode)");
    }
    return json;
  }

  private static String nonce(String bodyNonce, String headerNonce) {
    if (headerNonce != null) {
      checkNonce(headerNonce, "Idempotency-Key");
    }
    if (bodyNonce != null) {
      checkNonce(bodyNonce, "nonce");
    }
    if (bodyNonce != null && headerNonce != null && !bodyNonce.equals(headerNonce)) {
      throw ProblemException.invalid(
          "nonce", "nonce and the Idempotency-Key header differ: send one, or the same value");
    }
    return bodyNonce != null ? bodyNonce : headerNonce;
  }

  private static void checkNonce(String nonce, String field) {
    if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
      throw ProblemException.invalid(field, field + " must be 1 to 128 characters");
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        throw ProblemException.invalid(
            field, field + " must be printable text without control characters");
      }
    }
  }

  private static Instant timestamp(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(
          "timestamp", "timestamp must be ISO-8601 with an offset, e.g. 2024-05-01T10:00:00Z");
    }
  }

  /** A string field, null when absent or JSON null; any other type is a 400 naming the field. */
  private static String text(JsonNode event, String field) {
    JsonNode value = event.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ProblemException.invalid(field, field + " must be a string");
    }
    return value.textValue();
  }

  /** {@code payload.issueKey is required} → {@code payload.issueKey}. */
  static String fieldOf(String message) {
    int space = message.indexOf(' ');
    String head = space < 0 ? message : message.substring(0, space);
    return head.equals("payload") || head.startsWith("payload.") || head.startsWith("payload[")
        ? head
        : "payload";
  }

  static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(byte[] body) {
    for (byte b : body) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static String reason(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "unreadable";
    }
    message = message.replaceAll("[\\p{Cntrl}]", " ");
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }
}
