package dev.relay.contracts.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Encodes the server → client messages of the JSON protocol (SPEC §5). Thread-safe. */
public final class ServerMessages {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final String PONG = "{\"type\":\"pong\"}";

  private ServerMessages() {}

  /**
   * One member of a room, as presence lists it: {@code info} and {@code state} are compact JSON
   * objects (SPEC §11), or null when the member has none (encoded as JSON {@code null}).
   */
  public record Member(String sub, Instant joinedAt, String info, String state) {}

  public static String welcome(
      String connectionId, String sub, Collection<String> rooms, Instant expiresAt) {
    return write(
        g -> {
          g.writeStringField("type", "welcome");
          g.writeStringField("connectionId", connectionId);
          g.writeStringField("sub", sub);
          writeStrings(g, "rooms", rooms);
          g.writeStringField("expiresAt", expiresAt.toString());
        });
  }

  /**
   * {@code recovered} is null when the subscribe carried no {@code since}; {@code echoField} is
   * {@code teamId}/{@code taskId} when the client named the room that way.
   */
  public static String subscribed(
      String room, boolean recovered, String echoField, String echoValue, String ref) {
    return subscribed(room, recovered, null, echoField, echoValue, ref);
  }

  /** With {@code "history": <count sent>} when the subscribe asked for history (non-null). */
  public static String subscribed(
      String room,
      boolean recovered,
      Integer history,
      String echoField,
      String echoValue,
      String ref) {
    return write(
        g -> {
          g.writeStringField("type", "subscribed");
          g.writeStringField("room", room);
          g.writeBooleanField("recovered", recovered);
          if (history != null) {
            g.writeNumberField("history", history);
          }
          if (echoField != null) {
            g.writeStringField(echoField, echoValue);
          }
          writeRef(g, ref);
        });
  }

  public static String unsubscribed(String room, String ref) {
    return unsubscribed(room, null, ref);
  }

  /**
   * {@code {"type":"unsubscribed","room":…,"reason":…}}: the server took the connection out of a
   * room ({@code reason} {@code revoked} after a refresh that no longer grants it); null when the
   * client asked.
   */
  public static String unsubscribed(String room, String reason, String ref) {
    return write(
        g -> {
          g.writeStringField("type", "unsubscribed");
          g.writeStringField("room", room);
          if (reason != null) {
            g.writeStringField("reason", reason);
          }
          writeRef(g, ref);
        });
  }

  /** The event message around an already-encoded envelope (no re-encoding). */
  public static String event(String envelopeJson) {
    return "{\"type\":\"event\",\"event\":" + envelopeJson + "}";
  }

  public static String ack(String ref, String id) {
    return write(
        g -> {
          g.writeStringField("type", "ack");
          writeRef(g, ref);
          g.writeStringField("id", id);
        });
  }

  public static String presence(String room, List<Member> members, String ref) {
    return write(
        g -> {
          g.writeStringField("type", "presence");
          g.writeStringField("room", room);
          g.writeArrayFieldStart("members");
          for (Member m : members) {
            g.writeStartObject();
            g.writeStringField("sub", m.sub());
            g.writeStringField("joinedAt", m.joinedAt().toString());
            writeRawObject(g, "info", m.info());
            writeRawObject(g, "state", m.state());
            g.writeEndObject();
          }
          g.writeEndArray();
          writeRef(g, ref);
        });
  }

  /** The answer to {@code presence.set}: {@code {"type":"ack"}} with the request's ref. */
  public static String ack(String ref) {
    return write(
        g -> {
          g.writeStringField("type", "ack");
          writeRef(g, ref);
        });
  }

  /** {@code json} is a compact JSON object the relay stored itself, or null. */
  private static void writeRawObject(JsonGenerator g, String field, String json)
      throws IOException {
    g.writeFieldName(field);
    if (json == null) {
      g.writeNull();
    } else {
      g.writeRawValue(json);
    }
  }

  /** The answer to {@code refresh}: the connection now lives until {@code expiresAt}. */
  public static String refreshed(Instant expiresAt, String ref) {
    return write(
        g -> {
          g.writeStringField("type", "refreshed");
          g.writeStringField("expiresAt", expiresAt.toString());
          writeRef(g, ref);
        });
  }

  /** {@code message} is a human-readable hint; never put secrets or internals in it. */
  public static String error(String code, String message, String ref) {
    return write(
        g -> {
          g.writeStringField("type", "error");
          g.writeStringField("code", code);
          if (message != null) {
            g.writeStringField("message", message);
          }
          writeRef(g, ref);
        });
  }

  public static String pong() {
    return PONG;
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeRef(JsonGenerator g, String ref) throws IOException {
    if (ref != null) {
      g.writeStringField("ref", ref);
    }
  }

  private static void writeStrings(JsonGenerator g, String field, Collection<String> values)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
