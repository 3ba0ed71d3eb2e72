package dev.relay.cli.hostile;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.relay.gateway.auth.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

/** Connection and subscription tokens signed with the stack's secret, with a known {@code jti}. */
final class Tokens {

  private static final TokenSigner SIGNER =
      new TokenSigner(HostileStack.SECRET.getBytes(StandardCharsets.UTF_8));

  /** A signed connection token and the {@code jti} and {@code exp} needed to revoke it. */
  record Token(String jwt, String jti, long exp) {}

  private Tokens() {}

  /**
   * A connection token valid for 120 s.
   *
   * @param sessionId joins {@code session:<id>}, or null
   * @param rooms extra rooms ({@code kind:*} allows a kind)
   * @param scopes e.g. {@code subscribe}, {@code presence}; empty = the default
   */
  static Token connection(String sub, String sessionId, List<String> rooms, List<String> scopes) {
    String jwt = SIGNER.connectionToken(sub, sessionId, rooms, scopes, Duration.ofSeconds(120));
    try {
      JWTClaimsSet claims = SignedJWT.parse(jwt).getJWTClaimsSet();
      return new Token(jwt, claims.getJWTID(), claims.getExpirationTime().getTime() / 1000);
    } catch (ParseException e) {
      throw new IllegalStateException("the signer produced an unreadable token", e);
    }
  }

  static String connection(String sub, List<String> rooms) {
    return connection(sub, null, rooms, List.of()).jwt();
  }

  /** A subscription token for one room, valid for 120 s. */
  static String subscription(String sub, String room) {
    return SIGNER.subscriptionToken(sub, room, Duration.ofSeconds(120));
  }
}
