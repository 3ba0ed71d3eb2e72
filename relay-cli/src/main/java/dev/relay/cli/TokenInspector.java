package dev.relay.cli;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.relay.gateway.auth.TokenCheck;
import java.io.PrintStream;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * {@code ./relay token --check}: prints a token's header and claims, what kind of token it is, and
 * the gateway's verdict with the precise reason (which the gateway itself only logs). Exit 0 when
 * the gateway would accept it, 1 when it would refuse it, 2 when it is not a JWT or no secret is
 * known to check the signature with.
 */
final class TokenInspector {

  private final TokenRules rules;
  private final PrintStream out;

  TokenInspector(TokenRules rules, PrintStream out) {
    this.rules = rules;
    this.out = out;
  }

  int inspect(String token) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw CliError.usage("not a signed JWT (header.claims.signature): " + e.getMessage());
    }
    out.println("header: " + jwt.getHeader().toString());
    out.println("claims: " + claims.toString());
    String room = claim(claims, "room");
    out.println(
        "kind:   "
            + (room != null
                ? "subscription token for room " + room
                : "connection token for " + claims.getSubject()));
    Date exp = claims.getExpirationTime();
    if (exp != null) {
      long left = Duration.between(Instant.now(), exp.toInstant()).toSeconds();
      out.println("expiry: " + exp.toInstant() + (left >= 0 ? " (in " + left + " s)" : " (past)"));
    }
    TokenCheck<?> verdict =
        room != null
            ? rules.verifier().verifySubscription(token, String.valueOf(claims.getSubject()), room)
            : rules.verifier().verifyConnection(token);
    if (verdict instanceof TokenCheck.Refused<?> refused) {
      out.println(
          "verdict: REFUSED: the client is told "
              + refused.code()
              + "; reason (server log only): "
              + refused.reason());
      return CliError.FAILURE;
    }
    out.println("verdict: accepted by the gateway (revocations are not checked here)");
    return 0;
  }

  private static String claim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String text ? text : null;
  }
}
