package dev.relay.gateway.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The ids ({@code jti}) of the connection tokens one connection has used and that have not expired
 * yet (the first one, and every refresh), so that revoking any of them closes the connection (SPEC
 * §10). Bounded: at most {@link #MAX} live tokens; a refresh beyond that is refused until older
 * ones expire. Confined to the session's executor.
 */
final class TokenLedger {

  static final int MAX = 16;

  private final Map<String, Long> expiries = new HashMap<>(2);

  /** Records a token; false when {@link #MAX} live tokens are already held. */
  boolean add(String jti, long expiresAtMillis, long nowMillis) {
    if (jti == null) {
      return true;
    }
    expiries.values().removeIf(exp -> exp <= nowMillis);
    if (expiries.size() >= MAX && !expiries.containsKey(jti)) {
      return false;
    }
    expiries.put(jti, expiresAtMillis);
    return true;
  }

  boolean contains(String jti) {
    return expiries.containsKey(jti);
  }
}
