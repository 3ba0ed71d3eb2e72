package dev.relay.publish.history;

import dev.relay.contracts.ErrorCodes;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.service.http.ProblemException;

/**
 * The 401 of every publish-api route but publishing itself (history, server-side control): the
 * credentials of SPEC §2, a bearer API key or a signature of the raw body (of the empty body for a
 * GET), else 401 {@code unauthorized}.
 */
public final class ReadCredentials {

  private ReadCredentials() {}

  /** Throws a 401 {@link ProblemException} unless the headers authenticate {@code rawBody}. */
  public static void require(
      PublishAuthenticator authenticator, String authorization, String signature, byte[] rawBody) {
    if (!authenticator.authenticate(authorization, signature, rawBody)) {
      throw new ProblemException(
          401,
          ErrorCodes.UNAUTHORIZED,
          "missing or invalid credentials: send Authorization: Bearer <key> or X-Relay-Signature",
          null,
          0);
    }
  }
}
