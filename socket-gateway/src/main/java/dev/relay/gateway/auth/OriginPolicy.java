package dev.relay.gateway.auth;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which browser {@code Origin}s may open connections (SPEC §4). An entry is an exact origin ({@code
 * https://app.example.com}) or an origin with any port ({@code http://localhost:*}). A request
 * without {@code Origin} is not from a browser and is allowed: browsers always send it on WebSocket
 * handshakes, so the check cannot be bypassed from a page. An empty list refuses every browser
 * origin.
 */
public final class OriginPolicy {

  private final List<String> allowed;

  public OriginPolicy(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).toList();
  }

  public boolean allows(String origin) {
    if (origin == null) {
      return true;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    for (String entry : allowed) {
      if (entry.equals(o) || (entry.endsWith(":*") && matchesAnyPort(entry, o))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAnyPort(String entry, String origin) {
    String base = entry.substring(0, entry.length() - 2);
    if (origin.equals(base)) {
      return true;
    }
    if (!origin.startsWith(base + ":")) {
      return false;
    }
    String port = origin.substring(base.length() + 1);
    return !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit);
  }

  /**
   * The CORS headers of an answer to an allowed browser {@code origin} (credentials allowed, so the
   * origin is echoed, never {@code *}); none for a request without {@code Origin}.
   */
  public static Map<String, String> corsHeaders(String origin) {
    if (origin == null) {
      return Map.of();
    }
    return Map.of(
        "Access-Control-Allow-Origin",
        origin,
        "Access-Control-Allow-Credentials",
        "true",
        "Vary",
        "Origin");
  }
}
