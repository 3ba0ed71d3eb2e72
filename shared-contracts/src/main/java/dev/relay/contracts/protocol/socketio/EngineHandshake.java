package dev.relay.contracts.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The data of an Engine.IO v4 OPEN packet: {@code
 * {"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}}, times in milliseconds,
 * {@code maxPayload} in bytes. Encodes in exactly that field order.
 */
public record EngineHandshake(
    String sid, List<String> upgrades, long pingInterval, long pingTimeout, long maxPayload) {

  public EngineHandshake {
    Objects.requireNonNull(sid, "sid");
    upgrades = List.copyOf(upgrades);
    if (pingInterval <= 0 || pingTimeout <= 0 || maxPayload <= 0) {
      throw new IllegalArgumentException("pingInterval, pingTimeout and maxPayload must be > 0");
    }
  }

  /** The handshake JSON carried by {@code 0…}. */
  public String toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("sid", sid);
    upgrades.forEach(json.putArray("upgrades")::add);
    json.put("pingInterval", pingInterval);
    json.put("pingTimeout", pingTimeout);
    json.put("maxPayload", maxPayload);
    return BoundedJson.write(json);
  }

  /**
   * Parses the data of an OPEN packet (the client side of the handshake).
   *
   * @throws ProtocolException when it is not a handshake object with all five fields
   */
  public static EngineHandshake parse(String json) {
    if (json == null || json.length() > EnginePacket.DEFAULT_MAX_LENGTH) {
      throw new ProtocolException("handshake is missing or too long");
    }
    JsonNode node = BoundedJson.parse(json, "handshake");
    JsonNode sid = node.get("sid");
    JsonNode upgrades = node.get("upgrades");
    if (sid == null || !sid.isTextual()) {
      throw new ProtocolException("handshake sid must be a string");
    }
    if (upgrades == null || !upgrades.isArray()) {
      throw new ProtocolException("handshake upgrades must be an array of strings");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode upgrade : upgrades) {
      if (!upgrade.isTextual()) {
        throw new ProtocolException("handshake upgrades must be an array of strings");
      }
      names.add(upgrade.asText());
    }
    return new EngineHandshake(
        sid.asText(),
        names,
        positive(node, "pingInterval"),
        positive(node, "pingTimeout"),
        positive(node, "maxPayload"));
  }

  private static long positive(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null
        || !value.canConvertToLong()
        || !value.isIntegralNumber()
        || value.asLong() <= 0) {
      throw new ProtocolException("handshake " + field + " must be a positive integer");
    }
    return value.asLong();
  }
}
