package dev.relay.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.relay.contracts.RoomName;
import dev.relay.contracts.protocol.ClientMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies connection and subscription tokens (SPEC §4): HS256 only, signed with any of the
 * configured secrets (the first signs, all verify, for rotation); {@code sub}, {@code iat} and
 * {@code exp} required for connection tokens; lifetime {@code exp - iat} at most {@code
 * maxLifetime}; {@code exp}/{@code nbf} checked with {@code skew} tolerance; revoked {@code jti}
 * refused; an {@code info} claim must be a JSON object of at most {@link
 * ClientMessageDecoder#MAX_PRESENCE_DATA} bytes as compact JSON (SPEC §11), else the token is
 * refused. Never throws on hostile input. Thread-safe.
 */
public final class TokenVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<MACVerifier> verifiers;
  private final Duration maxLifetime;
  private final Duration skew;
  private final Clock clock;
  private final RevocationList revocations;

  public TokenVerifier(
      List<byte[]> secrets,
      Duration maxLifetime,
      Duration skew,
      Clock clock,
      RevocationList revocations) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one signing secret is required");
    }
    List<MACVerifier> list = new ArrayList<>();
    for (byte[] secret : secrets) {
      try {
        list.add(new MACVerifier(secret));
      } catch (JOSEException e) {
        throw new IllegalArgumentException("signing secrets must be at least 32 bytes", e);
      }
    }
    this.verifiers = List.copyOf(list);
    this.maxLifetime = maxLifetime;
    this.skew = skew;
    this.clock = clock;
    this.revocations = revocations;
  }

  /** Verifies a connection token. */
  public TokenCheck<ConnectionGrant> verifyConnection(String token) {
    try {
      JWTClaimsSet claims = verifiedClaims(token);
      String sub = claims.getStringClaim("sub");
      Date iat = claims.getIssueTime();
      Date exp = claims.getExpirationTime();
      if (sub == null || sub.isBlank()) {
        return TokenCheck.unauthorized("missing sub");
      }
      if (iat == null || exp == null) {
        return TokenCheck.unauthorized("missing " + (iat == null ? "iat" : "exp"));
      }
      TokenCheck<ConnectionGrant> timing = checkTiming(claims, iat.toInstant(), exp.toInstant());
      if (timing != null) {
        return timing;
      }
      String jti = claims.getJWTID();
      if (jti != null && revocations.isRevoked(jti)) {
        return TokenCheck.unauthorized("revoked jti");
      }
      return grant(claims, sub, iat.toInstant(), exp.toInstant(), jti);
    } catch (InvalidToken e) {
      return TokenCheck.unauthorized(e.getMessage());
    } catch (ParseException | RuntimeException e) {
      return TokenCheck.unauthorized("malformed claims: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Verifies a subscription token for {@code room}, which must carry the same {@code sub} as the
   * connection, a matching {@code room} claim and an {@code exp}.
   */
  public TokenCheck<SubscriptionGrant> verifySubscription(
      String token, String expectedSub, String room) {
    try {
      JWTClaimsSet claims = verifiedClaims(token);
      Date exp = claims.getExpirationTime();
      if (exp == null) {
        return TokenCheck.unauthorized("subscription token without exp");
      }
      Date iat = claims.getIssueTime();
      Instant issued = iat != null ? iat.toInstant() : clock.instant();
      TokenCheck<SubscriptionGrant> timing = checkTiming(claims, issued, exp.toInstant());
      if (timing != null) {
        return timing;
      }
      if (!expectedSub.equals(claims.getStringClaim("sub"))) {
        return TokenCheck.unauthorized("subscription token for another sub");
      }
      if (!room.equals(claims.getStringClaim("room"))) {
        return TokenCheck.unauthorized("subscription token for another room");
      }
      String jti = claims.getJWTID();
      if (jti != null && revocations.isRevoked(jti)) {
        return TokenCheck.unauthorized("revoked jti");
      }
      return new TokenCheck.Valid<>(
          new SubscriptionGrant(room, jti, exp.toInstant(), iat == null ? null : iat.toInstant()));
    } catch (InvalidToken e) {
      return TokenCheck.unauthorized(e.getMessage());
    } catch (ParseException | RuntimeException e) {
      return TokenCheck.unauthorized("malformed claims: " + e.getClass().getSimpleName());
    }
  }

  private JWTClaimsSet verifiedClaims(String token) throws InvalidToken, ParseException {
    if (token == null || token.isEmpty() || token.length() > 8192) {
      throw new InvalidToken("missing or oversized token");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new InvalidToken("not a signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidToken("alg " + jwt.getHeader().getAlgorithm() + " is not HS256");
    }
    for (MACVerifier verifier : verifiers) {
      try {
        if (jwt.verify(verifier)) {
          return jwt.getJWTClaimsSet();
        }
      } catch (JOSEException e) {
        throw new InvalidToken("signature check failed: " + e.getClass().getSimpleName());
      }
    }
    throw new InvalidToken("bad signature");
  }

  private <T> TokenCheck<T> checkTiming(JWTClaimsSet claims, Instant iat, Instant exp) {
    Instant now = clock.instant();
    if (now.isAfter(exp.plus(skew))) {
      return TokenCheck.expired("expired at " + exp);
    }
    if (Duration.between(iat, exp).compareTo(maxLifetime) > 0) {
      return TokenCheck.unauthorized("lifetime longer than " + maxLifetime.toSeconds() + " s");
    }
    if (iat.isAfter(now.plus(skew))) {
      return TokenCheck.unauthorized("iat in the future");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
      return TokenCheck.unauthorized("nbf in the future");
    }
    return null;
  }

  private static TokenCheck<ConnectionGrant> grant(
      JWTClaimsSet claims, String sub, Instant iat, Instant exp, String jti) throws ParseException {
    Set<String> autoJoin = new HashSet<>();
    Set<String> wildcardKinds = new HashSet<>();
    String sessionId = claims.getStringClaim("sessionId");
    if (sessionId != null) {
      if (!RoomName.isValid("session:" + sessionId)) {
        return TokenCheck.unauthorized("invalid sessionId claim");
      }
      autoJoin.add("session:" + sessionId);
    }
    List<String> rooms = claims.getStringListClaim("rooms");
    for (String room : rooms == null ? List.<String>of() : rooms) {
      if (room.endsWith(":*") && RoomName.isValidKind(room.substring(0, room.length() - 2))) {
        wildcardKinds.add(room.substring(0, room.length() - 2));
      } else if (RoomName.isValid(room)) {
        autoJoin.add(room);
      } else {
        return TokenCheck.unauthorized("invalid room in rooms claim");
      }
    }
    Set<Scope> scopes = scopes(claims.getClaim("scope"));
    if (scopes == null) {
      return TokenCheck.unauthorized("invalid scope claim");
    }
    Object infoClaim = claims.getClaim("info");
    String info = null;
    if (infoClaim != null) {
      info = infoJson(infoClaim);
      if (info == null) {
        return TokenCheck.unauthorized(
            "invalid info claim: must be a JSON object of at most "
                + ClientMessageDecoder.MAX_PRESENCE_DATA
                + " bytes");
      }
    }
    return new TokenCheck.Valid<>(
        new ConnectionGrant(sub, sessionId, autoJoin, wildcardKinds, scopes, exp, jti, info, iat));
  }

  /** The {@code info} claim as compact JSON, or null when it is not a small enough object. */
  private static String infoJson(Object claim) {
    if (!(claim instanceof Map<?, ?>)) {
      return null;
    }
    try {
      String json = JSON.writeValueAsString(claim);
      return json.getBytes(StandardCharsets.UTF_8).length <= ClientMessageDecoder.MAX_PRESENCE_DATA
          ? json
          : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The scopes of a {@code scope} claim (array or space-separated string); null if invalid. */
  private static Set<Scope> scopes(Object claim) {
    List<String> names = new ArrayList<>();
    if (claim == null) {
      names.add("subscribe");
    } else if (claim instanceof String text) {
      names.addAll(List.of(text.trim().split("\\s+")));
    } else if (claim instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String text)) {
          return null;
        }
        names.add(text);
      }
    } else {
      return null;
    }
    Set<Scope> scopes = new HashSet<>();
    scopes.add(Scope.SUBSCRIBE);
    for (String name : names) {
      if (!name.isEmpty()) {
        Scope.parse(name).ifPresent(scopes::add);
      }
    }
    return scopes;
  }

  /** A token refused before its claims could be read; the message is for the log. */
  private static final class InvalidToken extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidToken(String reason) {
      super(reason, null, false, false);
    }
  }
}
