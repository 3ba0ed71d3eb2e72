package dev.relay.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/** What a connection token allows beyond receiving events (SPEC §4). */
public enum Scope {
  /** Receive events of the granted rooms (the default). */
  SUBSCRIBE,
  /** Send events to joined rooms. */
  PUBLISH,
  /** Read member lists. */
  PRESENCE;

  /** The scope named {@code text} in a token's {@code scope} claim; empty for an unknown name. */
  public static Optional<Scope> parse(String text) {
    for (Scope s : values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
