package dev.relay.gateway.session;

/**
 * The answer to one client request, delivered on the connection's executor: exactly one of {@link
 * #ok} or {@link #error} is called, once.
 */
public interface Reply<T> {

  void ok(T value);

  /** {@code code} is a stable protocol error code; {@code detail} a hint without secrets. */
  void error(String code, String detail);
}
