package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One thing a client read off the wire, decoded from either protocol.
 *
 * @param kind what it is
 * @param name the message type (JSON) or event name (Socket.IO) of a {@link Kind#PUSH}
 * @param ref the request reference (JSON {@code ref}, Socket.IO ack id) of a {@link Kind#REPLY}
 * @param body the envelope of an {@link Kind#EVENT}, the reply of a {@link Kind#REPLY}, the message
 *     of a {@link Kind#PUSH}; null for the others
 * @param answer the decoded answer of a {@link Kind#REPLY}
 * @param closeCode the close code of {@link Kind#CLOSED}
 */
record Incoming(Kind kind, String name, String ref, JsonNode body, Answer answer, int closeCode) {

  enum Kind {
    /** An event envelope delivered to the client. */
    EVENT,
    /** The answer to a request of this client. */
    REPLY,
    /** A message the server sent on its own: welcome, error, unsubscribed, connect reply… */
    PUSH,
    /** Socket.IO DISCONNECT from the server. */
    DISCONNECT,
    /** The transport closed; nothing follows. */
    CLOSED
  }

  static Incoming event(JsonNode envelope) {
    return new Incoming(Kind.EVENT, null, null, envelope, null, 0);
  }

  static Incoming reply(String ref, Answer answer) {
    return new Incoming(Kind.REPLY, null, ref, answer.body(), answer, 0);
  }

  static Incoming push(String name, JsonNode body) {
    return new Incoming(Kind.PUSH, name, null, body, null, 0);
  }

  static Incoming disconnect() {
    return new Incoming(Kind.DISCONNECT, null, null, null, null, 0);
  }

  static Incoming closed(int code) {
    return new Incoming(Kind.CLOSED, null, null, null, null, code);
  }

  boolean isPush(String pushName) {
    return kind == Kind.PUSH && pushName.equals(name);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EVENT -> "event " + body.path("type").asText() + " " + body.path("id").asText();
      case REPLY -> "reply " + ref + " " + body;
      case PUSH -> name + " " + body;
      case DISCONNECT -> "DISCONNECT";
      case CLOSED -> "closed " + closeCode;
    };
  }
}
