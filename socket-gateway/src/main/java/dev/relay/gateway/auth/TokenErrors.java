package dev.relay.gateway.auth;

/** The token error codes clients see (SPEC §4). */
public final class TokenErrors {

  public static final String UNAUTHORIZED = "unauthorized";
  public static final String TOKEN_EXPIRED = "token_expired";

  private TokenErrors() {}
}
