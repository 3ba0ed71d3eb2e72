package dev.relay.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ./relay env}: prints {@code export} lines for a shell ({@code eval "$(./relay env)"}): the
 * URLs and API key of the running {@code ./relay dev} (chosen as {@link CliConfig} says) and a
 * fresh token for {@code dev-user} in session {@code demo}, so {@code curl} works with them.
 */
@Command(
    name = "env",
    mixinStandardHelpOptions = true,
    description = {
      "Prints RELAY_URL, RELAY_GATEWAY_URL, RELAY_API_KEY and RELAY_TOKEN (dev-user, session demo)",
      "as shell exports for the running ./relay dev:  eval \"$(./relay env)\""
    })
final class EnvCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    CliConfig config = CliConfig.load();
    String apiKey = config.require("RELAY_API_KEY");
    TokenRules rules = new TokenRules(config);
    Duration ttl =
        DevCommand.DEV_TOKEN_TTL.compareTo(rules.maxLifetime()) < 0
            ? DevCommand.DEV_TOKEN_TTL
            : rules.maxLifetime();
    String token = DevCommand.devToken(rules.signer(), ttl);
    export("RELAY_URL", config.publishUrl());
    export("RELAY_GATEWAY_URL", config.gatewayUrl());
    export("RELAY_API_KEY", apiKey);
    export("RELAY_TOKEN", token);
    return 0;
  }

  private static void export(String name, String value) {
    System.out.println("export " + name + "='" + value.replace("'", "'\\''") + "'");
  }
}
