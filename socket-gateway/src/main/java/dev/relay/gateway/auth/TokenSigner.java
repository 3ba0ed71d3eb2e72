package dev.relay.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints HS256 tokens as a backend would: connection tokens for {@code ./relay token}, dev mode and
 * tests. Production backends mint their own with any JWT library (docs/tokens.md).
 */
public final class TokenSigner {

  private final MACSigner signer;

  public TokenSigner(byte[] secret) {
    try {
      this.signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signing secret must be at least 32 bytes", e);
    }
  }

  /**
   * A connection token.
   *
   * @param sessionId joins {@code session:<id>} at connect, or null
   * @param rooms extra rooms ({@code kind:*} allows a kind), may be empty
   * @param scopes e.g. {@code subscribe}, {@code publish}, {@code presence}
   */
  public String connectionToken(
      String sub, String sessionId, List<String> rooms, List<String> scopes, Duration ttl) {
    return connectionToken(sub, sessionId, rooms, scopes, ttl, null);
  }

  /**
   * A connection token with an {@code info} claim (SPEC §11: the user's presence info, a JSON
   * object of at most 1 KiB, e.g. {@code {"name":"Ada"}}), or none when {@code info} is null.
   */
  public String connectionToken(
      String sub,
      String sessionId,
      List<String> rooms,
      List<String> scopes,
      Duration ttl,
      Map<String, Object> info) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(sub)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString());
    if (sessionId != null) {
      claims.claim("sessionId", sessionId);
    }
    if (!rooms.isEmpty()) {
      claims.claim("rooms", rooms);
    }
    if (!scopes.isEmpty()) {
      claims.claim("scope", scopes);
    }
    if (info != null) {
      claims.claim("info", info);
    }
    return sign(claims.build());
  }

  /** A subscription token for one room. */
  public String subscriptionToken(String sub, String room, Duration ttl) {
    Instant now = Instant.now();
    return sign(
        new JWTClaimsSet.Builder()
            .subject(sub)
            .claim("room", room)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .build());
  }

  /** Signs arbitrary claims (tests use it to build invalid tokens on purpose). */
  public String sign(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    return jwt.serialize();
  }
}
