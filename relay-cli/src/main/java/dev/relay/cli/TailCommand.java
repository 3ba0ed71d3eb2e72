package dev.relay.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./relay tail}: prints the events of one room as one JSON envelope per line, until
 * interrupted (or {@code --count} events).
 *
 * <p>Guarantee: when the connection drops or the gateway closes it (1001 on a restart or drain,
 * 4008 when the token expires, anything else), tail reconnects by itself with exponential backoff
 * and jitter (0.5 s → 10 s) and resumes with {@code since} = the id of the last event it printed,
 * so the output has no gap and no duplicate as long as the gateway can recover from that id (SPEC
 * §7); when it cannot, it says so on stderr. Before the first event there is no id to resume from:
 * a drop then resumes live. It gives up (one line, exit 1) only when the very first connection
 * fails or the gateway refuses the token or room.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the events of one room as they arrive, one JSON envelope per line.",
      "Reconnects by itself and resumes after the last event printed."
    })
final class TailCommand implements Callable<Integer> {

  static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  @Mixin Target target = new Target();

  @Option(names = "--since", description = "Replay events after this event id first.")
  String since;

  @Option(
      names = "--token",
      description =
          "Connection token that grants the room (default: minted from JWT_SIGNING_SECRET).")
  String token;

  @Option(
      names = "--url",
      description =
          "Gateway base URL (default RELAY_GATEWAY_URL, RELAY_URL, the running ./relay dev).")
  String url;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Exit after this many events (0: never).")
  int count;

  @Override
  public Integer call() throws InterruptedException {
    String room = target.room();
    if (count < 0) {
      throw CliError.usage("--count must be 0 or more");
    }
    CliConfig config = CliConfig.load();
    TokenRules rules = token == null ? new TokenRules(config) : null;
    String base = url != null ? url : config.gatewayUrl();
    HttpClient client = HttpClient.newHttpClient();
    String lastId = since;
    int printed = 0;
    Duration retry = FIRST_RETRY;
    boolean everConnected = false;
    while (true) {
      String connectionToken = token;
      String subscriptionToken = null;
      if (rules != null) {
        Duration ttl = rules.maxLifetime().compareTo(MAX_TTL) < 0 ? rules.maxLifetime() : MAX_TTL;
        connectionToken = rules.signer().connectionToken(TAIL_SUB, null, List.of(), List.of(), ttl);
        subscriptionToken = rules.signer().subscriptionToken(TAIL_SUB, room, ttl);
      }
      URI uri =
          URI.create(
              base.replaceFirst("^http", "ws")
                  + "/realtime?token="
                  + URLEncoder.encode(connectionToken, StandardCharsets.UTF_8));
      TailConnection connection =
          new TailConnection(
              room, subscriptionToken, lastId, printed, count, System.out, System.err);
      TailConnection.Outcome outcome = connection.run(client, uri);
      lastId = connection.lastId();
      printed = connection.printed();
      switch (outcome.end()) {
        case DONE:
          return 0;
        case REFUSED:
          throw CliError.failure("tail " + room + ": " + outcome.detail(), outcome.cause());
        case UNREACHABLE:
          if (!everConnected) {
            throw RelayHttp.unreachable(
                "the gateway", base, outcome.cause() != null ? outcome.cause() : new Exception());
          }
          break;
        default:
          break;
      }
      if (connection.wasSubscribed()) {
        everConnected = true;
        retry = FIRST_RETRY;
      }
      System.err.println(
          "tail: "
              + outcome.detail()
              + "; reconnecting in "
              + retry.toMillis()
              + " ms"
              + (lastId != null ? ", resuming after " + lastId : ""));
      Thread.sleep(jittered(retry));
      retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
    }
  }

  private static final String TAIL_SUB = "relay-tail";
  private static final Duration MAX_TTL = Duration.ofSeconds(300);

  /** Between half and all of {@code retry}, so many tails do not reconnect in step. */
  private static long jittered(Duration retry) {
    long ms = retry.toMillis();
    return ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
  }
}
