package dev.relay.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON form of {@link Envelope} v1, field order {@code v, id, room, type, payload, issuedAt,
 * publishedAt, nonce, actor}; absent optional fields ({@code nonce}, {@code actor}) are left out.
 * {@code issuedAt} is always written: without a publisher timestamp it is {@code publishedAt}.
 *
 * <p>The log stores an envelope without its id ({@link #encodeWithoutId}) because the id is
 * assigned by the store on append; readers complete it with {@link #withId}, a string
 * concatenation, so delivering an event never re-encodes its payload. Thread-safe.
 */
public final class EnvelopeCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final String PREFIX = "{\"v\":1,\"id\":";

  private EnvelopeCodec() {}

  /**
   * Everything after the id: {@code "room":…,…}} including the closing brace. {@code payloadJson}
   * must be a compact, valid JSON object (it is copied verbatim). {@code issuedAt} null means
   * {@code publishedAt}.
   */
  public static String encodeWithoutId(
      String room,
      String type,
      String payloadJson,
      Instant issuedAt,
      Instant publishedAt,
      String nonce,
      String actor) {
    // By hand: the bytes a Jackson generator wrote (JsonStrings), without its writer and buffers.
    StringBuilder out = new StringBuilder(256 + payloadJson.length()).append("\"room\":");
    JsonStrings.appendQuoted(out, room);
    field(out, "type", type);
    out.append(",\"payload\":").append(payloadJson);
    field(out, "issuedAt", Envelope.issuedAtOr(issuedAt, publishedAt).toString());
    field(out, "publishedAt", publishedAt.toString());
    if (nonce != null) {
      field(out, "nonce", nonce);
    }
    if (actor != null) {
      field(out, "actor", actor);
    }
    return out.append('}').toString();
  }

  /** Appends {@code ,"name":"value"}. */
  private static void field(StringBuilder out, String name, String value) {
    JsonStrings.appendQuoted(out.append(",\"").append(name).append("\":"), value);
  }

  /** The complete envelope JSON from the stored part and the id. */
  public static String withId(String encodedWithoutId, String id) {
    StringBuilder out =
        new StringBuilder(PREFIX.length() + id.length() + 3 + encodedWithoutId.length());
    return JsonStrings.appendQuoted(out.append(PREFIX), id)
        .append(',')
        .append(encodedWithoutId)
        .toString();
  }

  public static String encode(Envelope e) {
    return withId(
        encodeWithoutId(
            e.room(),
            e.type(),
            e.payload().toString(),
            e.issuedAt(),
            e.publishedAt(),
            e.nonce(),
            e.actor()),
        e.id());
  }

  /**
   * Parses an envelope v1.
   *
   * <p>Only {@code v: 1} (the JSON integer) is accepted; fields not in v1 are ignored.
   *
   * @throws IllegalArgumentException naming what is wrong, for any input that is not one; no other
   *     exception for any string input
   */
  public static Envelope decode(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("envelope is not valid JSON", e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("envelope must be a JSON object");
    }
    JsonNode version = node.get("v");
    if (version == null || !version.isInt() || version.intValue() != Envelope.VERSION) {
      throw new IllegalArgumentException("envelope version must be 1");
    }
    JsonNode payload = node.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new IllegalArgumentException("payload must be a JSON object");
    }
    return new Envelope(
        requiredText(node, "id"),
        requiredText(node, "room"),
        requiredText(node, "type"),
        (ObjectNode) payload,
        optionalInstant(node, "issuedAt"),
        requiredInstant(node, "publishedAt"),
        optionalText(node, "nonce"),
        optionalText(node, "actor"));
  }

  private static String requiredText(JsonNode node, String field) {
    String text = optionalText(node, field);
    if (text == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return text;
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.asText();
  }

  private static Instant requiredInstant(JsonNode node, String field) {
    requiredText(node, field);
    return optionalInstant(node, field);
  }

  private static Instant optionalInstant(JsonNode node, String field) {
    String text = optionalText(node, field);
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 instant", e);
    }
  }
}
