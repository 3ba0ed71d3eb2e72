package dev.relay.gateway.auth;

import dev.relay.contracts.ErrorCodes;

/**
 * The outcome of verifying a token: the grant, or a refusal. A refusal's {@code code} is what the
 * client is told ({@code token_expired} or {@code unauthorized}); {@code reason} is the precise
 * cause, for the server log only.
 */
public sealed interface TokenCheck<T> {

  record Valid<T>(T grant) implements TokenCheck<T> {}

  record Refused<T>(String code, String reason) implements TokenCheck<T> {}

  static <T> TokenCheck<T> unauthorized(String reason) {
    return new Refused<>(ErrorCodes.UNAUTHORIZED, reason);
  }

  static <T> TokenCheck<T> expired(String reason) {
    return new Refused<>(ErrorCodes.TOKEN_EXPIRED, reason);
  }
}
