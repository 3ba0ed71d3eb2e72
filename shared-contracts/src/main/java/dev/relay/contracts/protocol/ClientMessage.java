package dev.relay.contracts.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message a client sends on the plain JSON protocol at {@code /realtime} (SPEC §5). Every message
 * may carry a client-chosen {@code ref} that replies and errors echo back.
 */
public sealed interface ClientMessage {

  /** The client's correlation id, or null. */
  String ref();

  /** {@code {"type":"auth","token":…}}: authentication as the first message. */
  record Auth(String token, String ref) implements ClientMessage {}

  /**
   * {@code {"type":"subscribe",…}}. {@code echoField}/{@code echoValue} are set when the room was
   * named by {@code teamId} or {@code taskId}, so the reply can echo them. {@code history} is the
   * number of the room's last stored events asked for (1 to {@link
   * ClientMessageDecoder#MAX_HISTORY}), or null.
   */
  record Subscribe(
      String room,
      String token,
      String since,
      String echoField,
      String echoValue,
      String ref,
      Integer history)
      implements ClientMessage {

    /** A subscribe without {@code history}. */
    public Subscribe(
        String room, String token, String since, String echoField, String echoValue, String ref) {
      this(room, token, since, echoField, echoValue, ref, null);
    }
  }

  /** {@code {"type":"unsubscribe","room":…}}. */
  record Unsubscribe(String room, String ref) implements ClientMessage {}

  /** {@code {"type":"publish","room":…,"event":…,"payload":{…}}}: a client-sent event. */
  record Publish(String room, String event, ObjectNode payload, String ref)
      implements ClientMessage {}

  /** {@code {"type":"presence","room":…}}: asks for the member list. */
  record Presence(String room, String ref) implements ClientMessage {}

  /**
   * {@code {"type":"presence.set","room":…,"state":{…}}}: the member's presence state in the room
   * (SPEC §11); {@code state} is the object as compact JSON.
   */
  record PresenceSet(String room, String state, String ref) implements ClientMessage {}

  /** {@code {"type":"refresh","token":…}}: a new connection token before {@code exp}. */
  record Refresh(String token, String ref) implements ClientMessage {}

  /** {@code {"type":"ping"}}. */
  record Ping(String ref) implements ClientMessage {}
}
