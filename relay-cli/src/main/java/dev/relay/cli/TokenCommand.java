package dev.relay.cli;

import dev.relay.gateway.auth.TokenSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./relay token}: prints a signed connection token. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a connection token signed with JWT_SIGNING_SECRET (from the environment or .relay/dev.env)."
    })
final class TokenCommand implements Callable<Integer> {

  @Option(names = "--sub", required = true, description = "The user the token is for.")
  String sub;

  @Option(names = "--session", description = "Joins session:<id> at connect.")
  String session;

  @Option(names = "--rooms", split = ",", description = "Extra rooms (kind:* allows a kind).")
  List<String> rooms = List.of();

  @Option(names = "--scope", split = ",", description = "subscribe (default), publish, presence.")
  List<String> scopes = List.of();

  @Option(
      names = "--ttl",
      defaultValue = "300",
      description = "Lifetime in seconds (default ${DEFAULT-VALUE}).")
  long ttlSeconds;

  @Override
  public Integer call() {
    System.out.println(
        signer().connectionToken(sub, session, rooms, scopes, Duration.ofSeconds(ttlSeconds)));
    return 0;
  }

  /** The signer from JWT_SIGNING_SECRET (first key), or an error naming the variable. */
  static TokenSigner signer() {
    String secret =
        DevEnv.locate()
            .get("JWT_SIGNING_SECRET")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "JWT_SIGNING_SECRET is not set and there is no .relay/dev.env: run ./relay dev first or export it"));
    return new TokenSigner(secret.split(",")[0].strip().getBytes(StandardCharsets.UTF_8));
  }
}
