package dev.relay.gateway.auth;

/** Revoked token ids ({@code jti}). Implementations must answer without blocking. */
public interface RevocationList {

  boolean isRevoked(String jti);
}
