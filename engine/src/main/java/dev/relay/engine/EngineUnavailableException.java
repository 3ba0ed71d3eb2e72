package dev.relay.engine;

/** The store could not be reached or did not answer in time. Safe to retry. */
public class EngineUnavailableException extends RuntimeException {

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
