package dev.relay.engine.revocation;

/** Told about each newly revoked token id once per instance; must return quickly. */
@FunctionalInterface
public interface RevocationListener {

  void onRevoked(String jti);
}
