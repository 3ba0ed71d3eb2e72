package dev.relay.gateway.kit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import java.time.Duration;
import java.util.Map;

/**
 * One connected client of either protocol, as a scenario sees it: requests answered with an {@link
 * Answer}, events in arrival order, and how the connection ends. Implementations keep what the
 * stock client of their protocol keeps for recovery (JSON: the last event id per room; Socket.IO:
 * {@code pid} and the last offset). Not thread-safe: one test thread drives one client. Every wait
 * is bounded and fails the test with what was seen instead.
 */
public interface ProtocolClient extends AutoCloseable {

  /** The protocol spoken. */
  Protocol protocol();

  /** Subscribes to {@code room}, with a subscription token and a resume point when not null. */
  default Answer subscribe(String room, String subscriptionToken, String since) {
    return subscribe(room, subscriptionToken, since, null);
  }

  /**
   * As {@link #subscribe(String, String, String)}, with {@code history} as given (any JSON value,
   * so hostile ones can be tried) when not null.
   */
  Answer subscribe(String room, String subscriptionToken, String since, Object history);

  default Answer subscribe(String room) {
    return subscribe(room, null, null);
  }

  Answer unsubscribe(String room);

  /** Publishes a client event (scope {@code publish}); a success carries the event {@code id}. */
  Answer publish(String room, String event, Map<String, ?> payload);

  /** The member list of {@code room} (scope {@code presence}) in {@code members}. */
  Answer presence(String room);

  /**
   * {@code presence.set} with {@code state} as given (normally a map; anything else to try a
   * malformed request) (SPEC §11).
   */
  Answer setPresence(String room, Object state);

  /** The next {@code presence.*} event envelope of {@code type}; other messages stay queued. */
  JsonNode expectPresence(String type);

  /** Replaces the connection token; a success carries {@code expiresAt}. */
  Answer refresh(String token);

  /**
   * The next event envelope, in arrival order, skipping {@code presence.*} events (they arrive
   * whenever someone joins or leaves).
   */
  JsonNode expectEvent();

  /** Fails if an event other than {@code presence.*} arrives within {@code wait}. */
  void expectNoEvent(Duration wait);

  /**
   * The next message the server sent on its own with this name (JSON: {@code type}; Socket.IO:
   * event name), e.g. {@code unsubscribed} or {@code error}; other messages stay queued.
   */
  JsonNode expectPush(String name);

  /** Sends one raw text frame as is (JSON message or Engine.IO packet): for malformed input. */
  void sendRaw(String frame);

  /** Stops reading the socket, so the server's writes pile up as with a slow network. */
  void stopReading();

  /** Reads again, starting with what the server queued meanwhile. */
  void resumeReading();

  /** Waits (10 s) for the server to end the connection and says how it ended. */
  Ending awaitEnd();

  /** Whether the server ended the connection already (without waiting). */
  boolean isClosed();

  /** Drops the TCP connection without any close handshake, as a lost network would. */
  void drop();

  /**
   * Connects again with {@code token} and resumes from what this client received, as the stock
   * client of its protocol does: JSON resubscribes every room with {@code since} = the last event
   * id received there; Socket.IO sends {@code pid} and the last offset in CONNECT.
   */
  default Resumed resume(String token) {
    return resume(token, null);
  }

  /** As {@link #resume(String)}, on the gateway {@code elsewhere} (null: the same gateway). */
  Resumed resume(String token, GatewayFixture elsewhere);

  /** Replaces this client's resume point with ids the server never issued. */
  void forgeResumePoint();

  /** Takes over {@code other}'s resume point (its rooms and ids, or its pid and offset). */
  void adoptResumePoint(ProtocolClient other);

  @Override
  void close();

  /**
   * A resumed connection.
   *
   * @param client the new connection
   * @param recovered JSON: every resubscribe answered {@code recovered:true}; Socket.IO: the
   *     CONNECT reply carried the same {@code pid} ({@code socket.recovered})
   */
  record Resumed(ProtocolClient client, boolean recovered) {}
}
