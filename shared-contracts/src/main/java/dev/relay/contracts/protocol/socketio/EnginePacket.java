package dev.relay.contracts.protocol.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One Engine.IO protocol v4 packet in its text form: the type digit followed by the data, e.g.
 * {@code 4hello} (message), {@code 2probe} (ping), {@code 6} (noop).
 *
 * <p>Only text packets are supported: a binary packet ({@code b<base64>} in a polling payload) is
 * refused with a {@link ProtocolException}, and a transport must refuse binary WebSocket frames the
 * same way. The data is carried verbatim for every type; {@code ""} when there is none.
 *
 * <p>Decoders are pure, bounded by a maximum length checked before any other work, and throw
 * nothing but {@link ProtocolException}. Instances are immutable.
 */
public record EnginePacket(Type type, String data) {

  /** Separates packets in an HTTP long-polling body. */
  public static final char RECORD_SEPARATOR = '\u001e';

  /** Default bound on a packet or polling body, in characters (Engine.IO's default maxPayload). */
  public static final int DEFAULT_MAX_LENGTH = 1_000_000;

  /** Engine.IO v4 packet types and their digits. */
  public enum Type {
    OPEN('0'),
    CLOSE('1'),
    PING('2'),
    PONG('3'),
    MESSAGE('4'),
    UPGRADE('5'),
    NOOP('6');

    private final char code;

    Type(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }

    static Type ofCode(char code) {
      return code >= '0' && code <= '6' ? values()[code - '0'] : null;
    }
  }

  public EnginePacket {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** The OPEN packet carrying {@code handshake}. */
  public static EnginePacket open(EngineHandshake handshake) {
    return new EnginePacket(Type.OPEN, handshake.toJson());
  }

  /** A MESSAGE packet; for Socket.IO its data is an encoded {@link SocketPacket}. */
  public static EnginePacket message(String data) {
    return new EnginePacket(Type.MESSAGE, data);
  }

  public static EnginePacket of(Type type) {
    return new EnginePacket(type, "");
  }

  /** The text form: type digit, then data. */
  public String encode() {
    return type.code + data;
  }

  /** Decodes one packet (a WebSocket text frame) of at most {@link #DEFAULT_MAX_LENGTH}. */
  public static EnginePacket decode(String text) {
    return decode(text, DEFAULT_MAX_LENGTH);
  }

  /**
   * Decodes one packet (a WebSocket text frame).
   *
   * @throws ProtocolException when the text is empty, longer than {@code maxLength}, binary or of
   *     an unknown type
   */
  public static EnginePacket decode(String text, int maxLength) {
    if (text == null || text.isEmpty()) {
      throw new ProtocolException("empty Engine.IO packet");
    }
    if (text.length() > maxLength) {
      throw new ProtocolException("Engine.IO packet longer than " + maxLength + " characters");
    }
    return decodeChecked(text);
  }

  /** Decodes an HTTP long-polling body of at most {@link #DEFAULT_MAX_LENGTH}. */
  public static List<EnginePacket> decodePayload(String body) {
    return decodePayload(body, DEFAULT_MAX_LENGTH);
  }

  /**
   * Decodes an HTTP long-polling body: one or more packets separated by {@link #RECORD_SEPARATOR}.
   *
   * @throws ProtocolException when the body is empty, longer than {@code maxLength}, or any packet
   *     in it is malformed; no packet is returned then
   */
  public static List<EnginePacket> decodePayload(String body, int maxLength) {
    if (body == null || body.isEmpty()) {
      throw new ProtocolException("empty Engine.IO payload");
    }
    if (body.length() > maxLength) {
      throw new ProtocolException("Engine.IO payload longer than " + maxLength + " characters");
    }
    List<EnginePacket> packets = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = body.indexOf(RECORD_SEPARATOR, start);
      String part = end < 0 ? body.substring(start) : body.substring(start, end);
      if (part.isEmpty()) {
        throw new ProtocolException("empty Engine.IO packet in payload");
      }
      packets.add(decodeChecked(part));
      if (end < 0) {
        return List.copyOf(packets);
      }
      start = end + 1;
    }
  }

  /**
   * Encodes packets as an HTTP long-polling body.
   *
   * @throws IllegalArgumentException when the list is empty or a packet's data contains the record
   *     separator (encoded Socket.IO packets never do: JSON escapes control characters)
   */
  public static String encodePayload(List<EnginePacket> packets) {
    if (packets.isEmpty()) {
      throw new IllegalArgumentException("a polling payload holds at least one packet");
    }
    StringBuilder out = new StringBuilder();
    for (EnginePacket packet : packets) {
      if (packet.data.indexOf(RECORD_SEPARATOR) >= 0) {
        throw new IllegalArgumentException("packet data must not contain U+001E in a payload");
      }
      if (out.length() > 0) {
        out.append(RECORD_SEPARATOR);
      }
      out.append(packet.encode());
    }
    return out.toString();
  }

  private static EnginePacket decodeChecked(String text) {
    char code = text.charAt(0);
    if (code == 'b') {
      throw new ProtocolException("binary Engine.IO packets are not supported");
    }
    Type type = Type.ofCode(code);
    if (type == null) {
      throw new ProtocolException("unknown Engine.IO packet type; expected a digit 0-6");
    }
    return new EnginePacket(type, text.substring(1));
  }
}
