package dev.relay.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OLD_SECRET =
      "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private final TokenVerifier verifier =
      new TokenVerifier(
          List.of(SECRET, OLD_SECRET),
          Duration.ofSeconds(300),
          Duration.ofSeconds(30),
          Clock.fixed(NOW, ZoneOffset.UTC),
          jti -> jti.equals("revoked-jti"));

  private static JWTClaimsSet.Builder valid() {
    return new JWTClaimsSet.Builder()
        .subject("acct-1")
        .issueTime(Date.from(NOW.minusSeconds(10)))
        .expirationTime(Date.from(NOW.plusSeconds(200)))
        .claim("sessionId", "abc-123");
  }

  private static String signed(JWTClaimsSet claims, JWSAlgorithm alg, byte[] secret)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(new MACSigner(secret.length >= 64 ? secret : pad(secret, alg)));
    return jwt.serialize();
  }

  private static byte[] pad(byte[] secret, JWSAlgorithm alg) {
    if (alg.equals(JWSAlgorithm.HS512)) {
      byte[] longer = new byte[64];
      System.arraycopy(secret, 0, longer, 0, secret.length);
      return longer;
    }
    return secret;
  }

  private TokenCheck<ConnectionGrant> check(String token) {
    return verifier.verifyConnection(token);
  }

  private static void assertRefused(TokenCheck<?> check, String code, String reasonPart) {
    assertThat(check).isInstanceOf(TokenCheck.Refused.class);
    TokenCheck.Refused<?> refused = (TokenCheck.Refused<?>) check;
    assertThat(refused.code()).isEqualTo(code);
    assertThat(refused.reason()).contains(reasonPart);
  }

  @Test
  void validTokenGrantsSessionRoomAndScopes() throws Exception {
    String token =
        signed(
            valid()
                .claim("rooms", List.of("team:42", "task:*"))
                .claim("scope", "publish presence")
                .jwtID("j1")
                .build(),
            JWSAlgorithm.HS256,
            SECRET);
    ConnectionGrant grant = ((TokenCheck.Valid<ConnectionGrant>) check(token)).grant();
    assertThat(grant.sub()).isEqualTo("acct-1");
    assertThat(grant.autoJoin()).containsExactlyInAnyOrder("session:abc-123", "team:42");
    assertThat(grant.wildcardKinds()).containsExactly("task");
    assertThat(grant.scopes()).isEqualTo(Set.of(Scope.SUBSCRIBE, Scope.PUBLISH, Scope.PRESENCE));
    assertThat(grant.jti()).isEqualTo("j1");
  }

  /** SPEC §11: {@code info} is a JSON object of at most 1 KiB (compact), kept as compact JSON. */
  @Test
  void anInfoClaimIsKeptAsCompactJsonAndABadOneRefusesTheToken() throws Exception {
    String withInfo =
        signed(
            valid().claim("info", java.util.Map.of("name", "Ada", "tags", List.of(1, 2))).build(),
            JWSAlgorithm.HS256,
            SECRET);
    String info = ((TokenCheck.Valid<ConnectionGrant>) check(withInfo)).grant().info();
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(info))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"name\":\"Ada\",\"tags\":[1,2]}"));
    assertThat(
            ((TokenCheck.Valid<ConnectionGrant>)
                    check(signed(valid().build(), JWSAlgorithm.HS256, SECRET)))
                .grant()
                .info())
        .isNull();

    for (Object bad :
        List.<Object>of("Ada", List.of("a"), 7, java.util.Map.of("n", "x".repeat(1100)))) {
      assertRefused(
          check(signed(valid().claim("info", bad).build(), JWSAlgorithm.HS256, SECRET)),
          "unauthorized",
          "invalid info claim");
    }
  }

  @Test
  void secondSecretStillVerifiesDuringRotation() throws Exception {
    assertThat(check(signed(valid().build(), JWSAlgorithm.HS256, OLD_SECRET)))
        .isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  void scopeAsArrayIsAccepted() throws Exception {
    String token =
        signed(valid().claim("scope", List.of("publish")).build(), JWSAlgorithm.HS256, SECRET);
    assertThat(((TokenCheck.Valid<ConnectionGrant>) check(token)).grant().has(Scope.PUBLISH))
        .isTrue();
  }

  @Test
  void algNoneIsRefused() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String body =
        b64(
            "{\"sub\":\"acct-1\",\"iat\":"
                + (NOW.getEpochSecond() - 1)
                + ",\"exp\":"
                + (NOW.getEpochSecond() + 100)
                + "}");
    assertRefused(check(header + "." + body + "."), "unauthorized", "not a signed JWT");
  }

  @Test
  void hs512IsRefused() throws Exception {
    assertRefused(
        check(signed(valid().build(), JWSAlgorithm.HS512, SECRET)), "unauthorized", "HS512");
  }

  @Test
  void rs256HeaderWithHmacSignatureIsRefused() throws Exception {
    String good = signed(valid().build(), JWSAlgorithm.HS256, SECRET);
    String forgedHeader = b64("{\"alg\":\"RS256\"}");
    String forged = forgedHeader + good.substring(good.indexOf('.'));
    assertRefused(check(forged), "unauthorized", "RS256");
  }

  @Test
  void wrongSecretIsRefused() throws Exception {
    byte[] other = "another-secret-another-secret-123".getBytes(StandardCharsets.UTF_8);
    assertRefused(
        check(signed(valid().build(), JWSAlgorithm.HS256, other)), "unauthorized", "bad signature");
  }

  @Test
  void expiredBeyondSkewIsTokenExpired() throws Exception {
    JWTClaimsSet claims =
        valid()
            .issueTime(Date.from(NOW.minusSeconds(200)))
            .expirationTime(Date.from(NOW.minusSeconds(31)))
            .build();
    assertRefused(check(signed(claims, JWSAlgorithm.HS256, SECRET)), "token_expired", "expired");
  }

  @Test
  void expiredWithinSkewIsAccepted() throws Exception {
    JWTClaimsSet claims =
        valid()
            .issueTime(Date.from(NOW.minusSeconds(200)))
            .expirationTime(Date.from(NOW.minusSeconds(20)))
            .build();
    assertThat(check(signed(claims, JWSAlgorithm.HS256, SECRET)))
        .isInstanceOf(TokenCheck.Valid.class);
  }

  @Test
  void nbfInTheFutureIsRefused() throws Exception {
    JWTClaimsSet claims = valid().notBeforeTime(Date.from(NOW.plusSeconds(60))).build();
    assertRefused(check(signed(claims, JWSAlgorithm.HS256, SECRET)), "unauthorized", "nbf");
  }

  @Test
  void lifetimeOf301SecondsIsRefused() throws Exception {
    JWTClaimsSet claims =
        valid()
            .issueTime(Date.from(NOW.minusSeconds(1)))
            .expirationTime(Date.from(NOW.plusSeconds(300)))
            .build();
    assertRefused(check(signed(claims, JWSAlgorithm.HS256, SECRET)), "unauthorized", "lifetime");
  }

  @Test
  void missingSubIatOrExpIsRefused() throws Exception {
    assertRefused(
        check(signed(valid().subject(null).build(), JWSAlgorithm.HS256, SECRET)),
        "unauthorized",
        "sub");
    assertRefused(
        check(signed(valid().issueTime(null).build(), JWSAlgorithm.HS256, SECRET)),
        "unauthorized",
        "iat");
    assertRefused(
        check(signed(valid().expirationTime(null).build(), JWSAlgorithm.HS256, SECRET)),
        "unauthorized",
        "exp");
  }

  @Test
  void revokedJtiIsRefused() throws Exception {
    assertRefused(
        check(signed(valid().jwtID("revoked-jti").build(), JWSAlgorithm.HS256, SECRET)),
        "unauthorized",
        "revoked");
  }

  @Test
  void garbageIsRefusedWithoutThrowing() {
    for (String garbage :
        List.of(
            "", "a.b.c", "....", "x".repeat(10_000), "eyJhbGciOiJIUzI1NiJ9.e30.", "{\"sub\":1}")) {
      assertThat(check(garbage)).isInstanceOf(TokenCheck.Refused.class);
    }
  }

  @Test
  void invalidRoomsClaimIsRefused() throws Exception {
    JWTClaimsSet claims = valid().claim("rooms", List.of("NOT A ROOM")).build();
    assertRefused(check(signed(claims, JWSAlgorithm.HS256, SECRET)), "unauthorized", "rooms");
  }

  @Test
  void subscriptionTokenMustMatchSubAndRoom() throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("acct-1")
            .claim("room", "task:7")
            .expirationTime(Date.from(NOW.plusSeconds(60)))
            .build();
    String token = signed(claims, JWSAlgorithm.HS256, SECRET);
    assertThat(verifier.verifySubscription(token, "acct-1", "task:7"))
        .isInstanceOf(TokenCheck.Valid.class);
    assertRefused(
        verifier.verifySubscription(token, "acct-2", "task:7"), "unauthorized", "another sub");
    assertRefused(
        verifier.verifySubscription(token, "acct-1", "task:8"), "unauthorized", "another room");
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
