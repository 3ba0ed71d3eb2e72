package dev.relay.gateway.session;

import dev.relay.contracts.EventType;
import dev.relay.engine.ratelimit.Limit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rate limits for client-published events, per connection and event family (SPEC §4 defaults:
 * {@code message.*} 10/min, {@code typing.*} 5/s; SPEC §12: {@code message.delta} 50/s). Written as
 * {@code message.*=10/min,typing.*=5/s,*=20/s}: a pattern is an exact type, a prefix ending in
 * {@code .*}, or {@code *}; the most specific one applies.
 *
 * <p>{@code message.delta} (SPEC §12, streamed pieces) is 50/s per connection unless the list names
 * {@code message.delta} itself: a {@code message.*} entry does not slow streaming down.
 *
 * <p>{@code presence.set} requests (SPEC §11) are limited here too, like typing, by the pattern
 * that governs the type {@code presence.set}: 5/s per connection unless the list names {@code
 * presence.set} (or {@code presence.*}) itself.
 */
public final class ClientEventLimits {

  public static final String DEFAULTS = "message.*=10/min,typing.*=5/s,*=20/s";

  /** The default of {@code message.delta} (SPEC §12), applied unless the list names the type. */
  public static final String MESSAGE_DELTA_DEFAULT = "50/s";

  /** The request type of presence state, limited by this class like typing. */
  public static final String PRESENCE_SET = "presence.set";

  private static final String PRESENCE_SET_DEFAULT = "5/s";

  private final Map<String, Limit> limits;

  private ClientEventLimits(Map<String, Limit> limits) {
    this.limits = Map.copyOf(limits);
  }

  public static ClientEventLimits defaults() {
    return parse(DEFAULTS);
  }

  /**
   * @throws IllegalArgumentException naming the bad entry
   */
  public static ClientEventLimits parse(String text) {
    Map<String, Limit> limits = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      String e = entry.strip();
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("limit entry must look like message.*=10/min: " + e);
      }
      limits.put(e.substring(0, eq).strip(), Limit.parse(e.substring(eq + 1)));
    }
    limits.putIfAbsent(EventType.MESSAGE_DELTA, Limit.parse(MESSAGE_DELTA_DEFAULT));
    if (!limits.containsKey("presence.*")) {
      limits.putIfAbsent(PRESENCE_SET, Limit.parse(PRESENCE_SET_DEFAULT));
    }
    return new ClientEventLimits(limits);
  }

  /** The pattern that governs {@code type} (a key for the bucket), or null when unlimited. */
  public String patternFor(String type) {
    if (limits.containsKey(type)) {
      return type;
    }
    String best = null;
    for (String pattern : limits.keySet()) {
      if (pattern.endsWith(".*")
          && type.startsWith(pattern.substring(0, pattern.length() - 1))
          && (best == null || pattern.length() > best.length())) {
        best = pattern;
      }
    }
    if (best != null) {
      return best;
    }
    return limits.containsKey("*") ? "*" : null;
  }

  public Limit limit(String pattern) {
    return limits.get(pattern);
  }
}
