package dev.relay.contracts.protocol.socketio;

/**
 * Malformed or unsupported Engine.IO / Socket.IO input. The only exception the decoders of this
 * package throw; its message says what is wrong without quoting the input, so it is safe to log and
 * to send back to the peer.
 */
public final class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
