package dev.relay.gateway.session;

/**
 * Receives the room lifecycle as it happens cluster-wide (the webhook dispatcher, SPEC §11): each
 * call is made once, by the one gateway whose store operation decided it. Called on store threads:
 * implementations must only enqueue, never block.
 */
public interface LifecycleSink {

  /** Ignores everything (no webhook configured). */
  LifecycleSink NONE =
      new LifecycleSink() {
        @Override
        public void presence(String type, String envelopeJson) {}

        @Override
        public void room(String type, String room) {}
      };

  /** A {@code presence.joined} / {@code presence.left} event, as its stored envelope. */
  void presence(String type, String envelopeJson);

  /** {@code room.occupied} (first member joined) or {@code room.vacated} (last member left). */
  void room(String type, String room);
}
