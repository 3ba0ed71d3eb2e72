package dev.relay.gateway.session;

/**
 * Receives each client-published event once it is stored (the webhook forwarder). Called on the
 * connection's event loop; must not block.
 */
public interface ClientEventSink {

  void published(String envelopeJson);

  /** Forwards nothing. */
  ClientEventSink NONE = envelope -> {};
}
