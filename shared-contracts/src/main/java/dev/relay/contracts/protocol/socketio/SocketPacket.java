package dev.relay.contracts.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * One Socket.IO protocol v5 packet: {@code <type>[<namespace>,][<ack id>][<JSON data>]}, e.g.
 * {@code 2["event",{"a":1}]}, {@code 21["subscribe",{"room":"team:1"}]}, {@code
 * 3/chat,5[{"ok":true}]}, {@code 40}, {@code 44{"message":"unauthorized"}}.
 *
 * <p>Supported: CONNECT (data absent or an object), DISCONNECT (no data), EVENT (a non-empty array
 * whose first element is the event name, optional ack id), ACK (an ack id and an array),
 * CONNECT_ERROR (an object, {@code {"message":…}}). BINARY_EVENT and BINARY_ACK are refused. The
 * namespace is {@code "/"} unless given; it starts with {@code /} and holds no comma or control
 * character. Ack ids are 0 to 2<sup>53</sup>-1, the range a JavaScript client can count.
 *
 * <p>Every instance is valid, so {@code decode(p.encode()).equals(p)}. The decoder is pure, bounded
 * (length checked first, JSON nesting and number length limited by Jackson's stream constraints),
 * and throws nothing but {@link ProtocolException}.
 *
 * <p>{@code data} is not copied: treat it as read-only once it is in a packet.
 *
 * @param ackId null when no acknowledgement is requested (EVENT) or possible (other types)
 * @param data null when the packet carries none
 */
public record SocketPacket(Type type, String namespace, Long ackId, JsonNode data) {

  public static final String DEFAULT_NAMESPACE = "/";

  /** Default bound on an encoded packet, in characters. */
  public static final int DEFAULT_MAX_LENGTH = EnginePacket.DEFAULT_MAX_LENGTH;

  /** JavaScript's Number.MAX_SAFE_INTEGER. */
  public static final long MAX_ACK_ID = (1L << 53) - 1;

  private static final String BINARY_REFUSED =
      "binary Socket.IO packets (BINARY_EVENT, BINARY_ACK) are not supported";
  private static final int MAX_NAMESPACE_LENGTH = 256;
  private static final int MAX_ACK_DIGITS = 16;

  /** Event names the Socket.IO client reserves; a peer may not send them. */
  private static final Set<String> RESERVED_EVENTS =
      Set.of(
          "connect",
          "connect_error",
          "disconnect",
          "disconnecting",
          "newListener",
          "removeListener");

  /** Socket.IO v5 packet types and their digits. */
  public enum Type {
    CONNECT('0'),
    DISCONNECT('1'),
    EVENT('2'),
    ACK('3'),
    CONNECT_ERROR('4'),
    BINARY_EVENT('5'),
    BINARY_ACK('6');

    private final char code;

    Type(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }
  }

  /**
   * @throws IllegalArgumentException when the parts do not form a supported packet
   */
  public SocketPacket {
    String problem = problem(type, namespace, ackId, data);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  public static SocketPacket connect(String namespace, ObjectNode data) {
    return new SocketPacket(Type.CONNECT, namespace, null, data);
  }

  public static SocketPacket disconnect(String namespace) {
    return new SocketPacket(Type.DISCONNECT, namespace, null, null);
  }

  /** {@code 44{"message":<message>}}: the client's {@code connect_error} with that message. */
  public static SocketPacket connectError(String namespace, String message) {
    return new SocketPacket(
        Type.CONNECT_ERROR,
        namespace,
        null,
        JsonNodeFactory.instance.objectNode().put("message", message));
  }

  /** An EVENT {@code [name, args…]}; {@code ackId} null when no acknowledgement is wanted. */
  public static SocketPacket event(String namespace, Long ackId, String name, JsonNode... args) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode().add(name);
    for (JsonNode arg : args) {
      data.add(arg);
    }
    return new SocketPacket(Type.EVENT, namespace, ackId, data);
  }

  /** The ACK answering the EVENT with {@code ackId}. */
  public static SocketPacket ack(String namespace, long ackId, JsonNode... args) {
    ArrayNode data = JsonNodeFactory.instance.arrayNode();
    for (JsonNode arg : args) {
      data.add(arg);
    }
    return new SocketPacket(Type.ACK, namespace, ackId, data);
  }

  /** The event name of an EVENT packet. */
  public String eventName() {
    if (type != Type.EVENT) {
      throw new IllegalStateException("only EVENT packets have an event name");
    }
    return data.get(0).asText();
  }

  /** The text form, as carried by an Engine.IO MESSAGE packet. */
  public String encode() {
    StringBuilder out = new StringBuilder().append(type.code);
    if (!DEFAULT_NAMESPACE.equals(namespace)) {
      out.append(namespace).append(',');
    }
    if (ackId != null) {
      out.append(ackId.longValue());
    }
    if (data != null) {
      out.append(BoundedJson.write(data));
    }
    return out.toString();
  }

  /** Decodes a packet of at most {@link #DEFAULT_MAX_LENGTH} characters. */
  public static SocketPacket decode(String text) {
    return decode(text, DEFAULT_MAX_LENGTH);
  }

  /**
   * Decodes a packet.
   *
   * @throws ProtocolException when the text is empty, longer than {@code maxLength}, binary, or not
   *     a well-formed supported packet
   */
  public static SocketPacket decode(String text, int maxLength) {
    if (text == null || text.isEmpty()) {
      throw new ProtocolException("empty Socket.IO packet");
    }
    if (text.length() > maxLength) {
      throw new ProtocolException("Socket.IO packet longer than " + maxLength + " characters");
    }
    char code = text.charAt(0);
    if (code < '0' || code > '6') {
      throw new ProtocolException("unknown Socket.IO packet type; expected a digit 0-6");
    }
    Type type = Type.values()[code - '0'];
    if (type == Type.BINARY_EVENT || type == Type.BINARY_ACK) {
      throw new ProtocolException(BINARY_REFUSED);
    }
    int i = 1;
    String namespace = DEFAULT_NAMESPACE;
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? text.length() : comma;
      namespace = text.substring(i, end);
      i = comma < 0 ? end : comma + 1;
    }
    int digits = i;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    Long ackId = null;
    if (i > digits) {
      if (i - digits > MAX_ACK_DIGITS) {
        throw new ProtocolException("Socket.IO ack id has more than " + MAX_ACK_DIGITS + " digits");
      }
      ackId = Long.parseLong(text, digits, i, 10);
    }
    JsonNode data =
        i < text.length() ? BoundedJson.parse(text.substring(i), "Socket.IO data") : null;
    String problem = problem(type, namespace, ackId, data);
    if (problem != null) {
      throw new ProtocolException(problem);
    }
    return new SocketPacket(type, namespace, ackId, data);
  }

  /** Why the parts are not a supported packet, or null when they are. */
  private static String problem(Type type, String namespace, Long ackId, JsonNode data) {
    if (type == null || namespace == null) {
      return "type and namespace are required";
    }
    if (type == Type.BINARY_EVENT || type == Type.BINARY_ACK) {
      return BINARY_REFUSED;
    }
    String namespaceProblem = namespaceProblem(namespace);
    if (namespaceProblem != null) {
      return namespaceProblem;
    }
    if (ackId != null && (ackId < 0 || ackId > MAX_ACK_ID)) {
      return "Socket.IO ack id must be between 0 and " + MAX_ACK_ID;
    }
    if (ackId != null && type != Type.EVENT && type != Type.ACK) {
      return type + " packets carry no ack id";
    }
    return switch (type) {
      case CONNECT -> data == null || data.isObject() ? null : "CONNECT data must be a JSON object";
      case DISCONNECT -> data == null ? null : "DISCONNECT packets carry no data";
      case CONNECT_ERROR ->
          data != null && data.isObject() ? null : "CONNECT_ERROR data must be a JSON object";
      case ACK -> {
        if (ackId == null) {
          yield "ACK packets need an ack id";
        }
        yield data != null && data.isArray() ? null : "ACK data must be a JSON array";
      }
      default -> eventProblem(data);
    };
  }

  private static String eventProblem(JsonNode data) {
    if (data == null || !data.isArray() || data.isEmpty() || !data.get(0).isTextual()) {
      return "EVENT data must be a JSON array starting with the event name";
    }
    if (RESERVED_EVENTS.contains(data.get(0).asText())) {
      return "EVENT name is reserved by Socket.IO";
    }
    return null;
  }

  private static String namespaceProblem(String namespace) {
    if (namespace.isEmpty() || namespace.charAt(0) != '/') {
      return "Socket.IO namespace must start with /";
    }
    if (namespace.length() > MAX_NAMESPACE_LENGTH) {
      return "Socket.IO namespace longer than " + MAX_NAMESPACE_LENGTH + " characters";
    }
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (c == ',' || c < 0x20 || c == 0x7f) {
        return "Socket.IO namespace must not contain a comma or control character";
      }
    }
    return null;
  }
}
