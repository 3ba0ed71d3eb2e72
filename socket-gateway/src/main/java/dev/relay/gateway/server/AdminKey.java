package dev.relay.gateway.server;

import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.ProblemException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer <ADMIN_API_KEY>} for every admin endpoint: 404 when {@code
 * ADMIN_API_KEY} is not set (the admin API is off), 401 for a missing or wrong key. Compares in
 * constant time against every configured key (rotation).
 */
@Singleton
final class AdminKey {

  private final GatewayExtras extras;

  AdminKey(GatewayExtras extras) {
    this.extras = extras;
  }

  void authorize(String authorization) {
    if (extras.adminApiKey().isEmpty()) {
      throw new ProblemException(404, ErrorCodes.NOT_FOUND, "admin API is off", null, 0);
    }
    byte[] presented =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    boolean ok = false;
    for (byte[] key : extras.adminApiKey().get().bytes()) {
      ok |= MessageDigest.isEqual(key, presented);
    }
    if (!ok) {
      throw new ProblemException(401, ErrorCodes.UNAUTHORIZED, "admin key required", null, 0);
    }
  }
}
