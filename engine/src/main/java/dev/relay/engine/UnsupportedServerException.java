package dev.relay.engine;

/**
 * The store answers but cannot run Relay, e.g. a Redis older than 7.0 (no sharded Pub/Sub). Not
 * worth retrying: the message says what to change.
 */
public class UnsupportedServerException extends RuntimeException {

  public UnsupportedServerException(String message) {
    super(message);
  }
}
