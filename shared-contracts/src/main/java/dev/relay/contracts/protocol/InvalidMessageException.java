package dev.relay.contracts.protocol;

/**
 * A client message that cannot be accepted. {@code code} is a stable protocol error code ({@code
 * invalid_message}); {@code detail} says what is wrong for a human; {@code ref} is the client's
 * correlation id when it could be read.
 */
public final class InvalidMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final String ref;

  public InvalidMessageException(String code, String detail, String ref) {
    super(detail, null, false, false);
    this.code = code;
    this.ref = ref;
  }

  public String code() {
    return code;
  }

  public String ref() {
    return ref;
  }
}
