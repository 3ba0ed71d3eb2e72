package dev.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.protocol.ClientMessageDecoder;
import dev.relay.gateway.auth.TokenCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./relay token}: mints a connection token ({@code --sub}), a subscription token ({@code
 * --room --sub}), or checks one ({@code --check}). Never prints a token the gateway would refuse:
 * the inputs are checked against the gateway's rules first (exit 2, one line naming the flag), and
 * the minted token is verified by the gateway's own verifier before it is printed.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a token signed with JWT_SIGNING_SECRET (from the environment or the running"
          + " ./relay dev).",
      "  --sub U [--session S] [--rooms r1,r2] [--scope ...] [--info '{\"name\":\"Ada\"}']",
      "                                                        a connection token",
      "  --sub U --room R                                      a subscription token for room R",
      "  --check <jwt>                                         decodes a token and says whether"
          + " the gateway accepts it"
    })
final class TokenCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--sub", description = "The user the token is for.")
  String sub;

  @Option(names = "--session", description = "Joins session:<id> at connect.")
  String session;

  @Option(names = "--rooms", split = ",", description = "Extra rooms (kind:* allows a kind).")
  List<String> rooms = List.of();

  @Option(names = "--scope", split = ",", description = "subscribe (default), publish, presence.")
  List<String> scopes = List.of();

  @Option(
      names = "--info",
      paramLabel = "<json>",
      description =
          "Presence info of the user: a JSON object of at most 1 KiB, e.g. '{\"name\":\"Ada\"}'"
              + " (the token's info claim, SPEC §11).")
  String info;

  @Option(
      names = "--room",
      description = "Mints a subscription token for this room instead (with --sub).")
  String room;

  @Option(
      names = "--ttl",
      defaultValue = "300",
      description =
          "Lifetime in seconds (default ${DEFAULT-VALUE}; at most RELAY_TOKEN_MAX_LIFETIME).")
  long ttlSeconds;

  @Option(names = "--check", paramLabel = "<jwt>", description = "Decodes and checks a token.")
  String check;

  @Override
  public Integer call() {
    TokenRules rules = new TokenRules(CliConfig.load());
    if (check != null) {
      if (sub != null
          || room != null
          || session != null
          || info != null
          || !rooms.isEmpty()
          || !scopes.isEmpty()) {
        throw CliError.usage("--check takes only the token");
      }
      return new TokenInspector(rules, System.out).inspect(check.strip());
    }
    if (sub == null || sub.isBlank()) {
      throw CliError.usage("--sub is required (the user the token is for)");
    }
    rules.checkTtl(ttlSeconds);
    Duration ttl = Duration.ofSeconds(ttlSeconds);
    String token;
    TokenCheck<?> verdict;
    if (room != null) {
      if (session != null || info != null || !rooms.isEmpty() || !scopes.isEmpty()) {
        throw CliError.usage(
            "--room mints a subscription token: it takes only --sub and --ttl"
                + " (--rooms is for connection tokens)");
      }
      TokenRules.checkRoom("--room", room);
      token = rules.signer().subscriptionToken(sub, room, ttl);
      verdict = rules.verifier().verifySubscription(token, sub, room);
    } else {
      if (session != null) {
        TokenRules.checkRoom("--session", "session:" + session);
      }
      rooms.forEach(TokenRules::checkGrantedRoom);
      scopes.forEach(TokenRules::checkScope);
      token = rules.signer().connectionToken(sub, session, rooms, scopes, ttl, infoClaim(info));
      verdict = rules.verifier().verifyConnection(token);
    }
    if (verdict instanceof TokenCheck.Refused<?> refused) {
      throw CliError.usage("the gateway would refuse this token: " + refused.reason());
    }
    System.out.println(token);
    return 0;
  }

  /** {@code --info} as the claim's map, or null without it; exit 2 unless a small JSON object. */
  static Map<String, Object> infoClaim(String json) {
    if (json == null) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw CliError.usage("--info must be a JSON object, e.g. '{\"name\":\"Ada\"}'");
    }
    if (node == null || !node.isObject()) {
      throw CliError.usage("--info must be a JSON object, e.g. '{\"name\":\"Ada\"}'");
    }
    if (node.toString().getBytes(StandardCharsets.UTF_8).length
        > ClientMessageDecoder.MAX_PRESENCE_DATA) {
      throw CliError.usage(
          "--info must be at most " + ClientMessageDecoder.MAX_PRESENCE_DATA + " bytes as JSON");
    }
    return JSON.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }
}
