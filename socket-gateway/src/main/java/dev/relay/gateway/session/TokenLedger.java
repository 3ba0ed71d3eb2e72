package dev.relay.gateway.session;

import java.util.HashMap;
import java.util.Map;

/**
 * The ids ({@code jti}) of the connection tokens one connection has used and that have not expired
 * yet (the first one, and every refresh), so that revoking any of them closes the connection (SPEC
 * §10). Bounded: at most {@link #MAX} live tokens; a refresh beyond that is refused until older
 * ones expire. Confined to the session's executor.
 *
 * <p>Most connections never refresh: the first token is kept in two fields, and a map exists only
 * once a second token was used (#17, idle heap per connection).
 */
final class TokenLedger {

  static final int MAX = 16;

  private String firstJti;
  private long firstExpiresAt;
  private Map<String, Long> more;

  /** Records a token; false when {@link #MAX} live tokens are already held. */
  boolean add(String jti, long expiresAtMillis, long nowMillis) {
    if (jti == null) {
      return true;
    }
    if (firstJti != null && firstExpiresAt <= nowMillis) {
      firstJti = null;
    }
    if (more != null) {
      more.values().removeIf(exp -> exp <= nowMillis);
    }
    if (jti.equals(firstJti) || firstJti == null && (more == null || !more.containsKey(jti))) {
      firstJti = jti;
      firstExpiresAt = expiresAtMillis;
      return true;
    }
    if (more == null) {
      more = new HashMap<>(4);
    }
    if (size() >= MAX && !more.containsKey(jti)) {
      return false;
    }
    more.put(jti, expiresAtMillis);
    return true;
  }

  boolean contains(String jti) {
    return jti.equals(firstJti) || more != null && more.containsKey(jti);
  }

  private int size() {
    return (firstJti == null ? 0 : 1) + (more == null ? 0 : more.size());
  }
}
