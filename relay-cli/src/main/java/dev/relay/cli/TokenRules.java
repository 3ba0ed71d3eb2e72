package dev.relay.cli;

import dev.relay.contracts.RoomName;
import dev.relay.gateway.auth.Scope;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.gateway.auth.TokenVerifier;
import dev.relay.service.config.EnvConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The gateway's token rules as the CLI sees them: the same secrets ({@code JWT_SIGNING_SECRET}),
 * lifetime limit ({@code RELAY_TOKEN_MAX_LIFETIME}, 300 s; dev mode 3600 s) and clock skew ({@code
 * RELAY_TOKEN_SKEW}, 30 s), read through {@link CliConfig}. The rules themselves are the gateway's
 * ({@link TokenVerifier}, {@link RoomName}, {@link Scope}); this class only checks inputs early so
 * that the refusal can name the flag. Revocations are not known here: a revoked {@code jti} is the
 * one refusal it cannot predict.
 */
final class TokenRules {

  private final CliConfig config;
  private final EnvConfig env;

  TokenRules(CliConfig config) {
    this.config = config;
    this.env =
        new EnvConfig(property -> config.get(property.toUpperCase(Locale.ROOT).replace('.', '_')));
  }

  Duration maxLifetime() {
    return env.duration(
        "RELAY_TOKEN_MAX_LIFETIME", Duration.ofSeconds(300), Duration.ofSeconds(10));
  }

  /** Signs with the first secret, as the gateway's rotation expects. */
  TokenSigner signer() {
    return new TokenSigner(secrets().get(0));
  }

  /** Verifies as the gateway does, revocations aside. */
  TokenVerifier verifier() {
    return new TokenVerifier(
        secrets(),
        maxLifetime(),
        env.duration("RELAY_TOKEN_SKEW", Duration.ofSeconds(30), Duration.ZERO),
        Clock.systemUTC(),
        jti -> false);
  }

  /** Refuses (exit 2) a lifetime the gateway would refuse. */
  void checkTtl(long seconds) {
    Duration max = maxLifetime();
    if (seconds <= 0 || seconds > max.toSeconds()) {
      throw CliError.usage(
          "--ttl "
              + seconds
              + " is refused by the gateway: a token may live 1 to "
              + max.toSeconds()
              + " s (RELAY_TOKEN_MAX_LIFETIME)");
    }
  }

  /** Refuses (exit 2) a room name the gateway would refuse, saying which rule it breaks. */
  static void checkRoom(String flag, String room) {
    if (RoomName.isValid(room)) {
      return;
    }
    int colon = room.indexOf(':');
    String why = "a room is kind:id";
    if (colon > 0) {
      try {
        new RoomName(room.substring(0, colon), room.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        why = e.getMessage();
      }
    }
    throw CliError.usage(flag + " '" + room + "' is not a valid room: " + why);
  }

  /** Like {@link #checkRoom}, also allowing {@code kind:*} (every room of a kind). */
  static void checkGrantedRoom(String room) {
    if (room.endsWith(":*") && RoomName.isValidKind(room.substring(0, room.length() - 2))) {
      return;
    }
    checkRoom("--rooms", room);
  }

  /** Refuses (exit 2) a scope the gateway does not know. */
  static void checkScope(String scope) {
    if (Scope.parse(scope).isEmpty()) {
      throw CliError.usage(
          "--scope '"
              + scope
              + "' is not a scope the gateway knows: "
              + Arrays.stream(Scope.values())
                  .map(s -> s.name().toLowerCase(Locale.ROOT))
                  .reduce((a, b) -> a + ", " + b)
                  .orElse(""));
    }
  }

  private List<byte[]> secrets() {
    return Arrays.stream(config.require("JWT_SIGNING_SECRET").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(s -> s.getBytes(StandardCharsets.UTF_8))
        .toList();
  }
}
