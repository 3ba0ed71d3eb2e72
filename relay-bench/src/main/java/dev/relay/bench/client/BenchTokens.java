package dev.relay.bench.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints connection tokens locally (SPEC §4): HS256, claims {@code sub}, {@code iat}, {@code exp}
 * and {@code sessionId}, so connection {@code i} joins {@code session:<sessionId>} at connect.
 */
public final class BenchTokens {

  private final MACSigner signer;
  private final Duration lifetime;

  /**
   * @param secret the gateway's signing secret (≥ 32 bytes)
   * @param lifetime {@code exp - iat}; the gateway refuses more than its maximum (300 s default)
   */
  public BenchTokens(String secret, Duration lifetime) {
    try {
      this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT secret: " + e.getMessage(), e);
    }
    this.lifetime = lifetime;
  }

  /** A token for {@code sub} joining {@code session:<sessionId>}. */
  public String connectionToken(String sub, String sessionId) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(sub)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .claim("sessionId", sessionId)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
