package dev.relay.gateway.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads {@code payload.sub} of a presence event's envelope. */
final class PresencePayload {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PresencePayload() {}

  /** The sub, or "" when the envelope has none (never null, so it can be cached). */
  static String sub(String envelopeJson) {
    try {
      JsonNode sub = JSON.readTree(envelopeJson).path("payload").path("sub");
      return sub.isTextual() ? sub.asText() : "";
    } catch (IOException e) {
      return "";
    }
  }
}
