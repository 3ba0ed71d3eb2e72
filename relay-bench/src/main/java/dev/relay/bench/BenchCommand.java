package dev.relay.bench;

import dev.relay.bench.client.Protocol;
import dev.relay.bench.report.BenchResult;
import dev.relay.bench.report.ResultsReport;
import dev.relay.bench.stream.StreamLoad;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./relay bench}: the load generator (SPEC §9). Prints a progress line on stderr, then a
 * table and, as the last stdout line, the result as one JSON object. Exit code 0 when every
 * connection was ready and every accepted event reached every subscriber exactly once, 1 otherwise,
 * 2 for bad options.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = ResultsReport.class,
    description =
        "Load generator: N connections over R rooms, publishing at a given rate; reports latency"
            + " and memory. Loopback targets only; every phase is bounded in time.")
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--label",
      description = "Name of this run in the output.",
      defaultValue = "bench")
  String label;

  @Option(names = "--publish-url", description = "publish-api base URL (default: RELAY_URL).")
  String publishUrl;

  @Option(names = "--gateway-url", description = "Gateway base URL (default: RELAY_URL).")
  String gatewayUrl;

  @Option(
      names = "--protocol",
      description = "json | socketio (over WebSocket).",
      defaultValue = "json",
      converter = ProtocolConverter.class)
  Protocol protocol;

  @Option(
      names = {"-c", "--connections"},
      description = "WebSocket connections to open and hold for the whole run (0..100000).",
      defaultValue = "100")
  int connections;

  @Option(
      names = {"-r", "--rooms"},
      description =
          "Rooms (sessions r0..r<N-1>) the connections and events are spread over, round robin.",
      defaultValue = "10")
  int rooms;

  @Option(names = "--rate", description = "Events per second (0: hold idle).", defaultValue = "100")
  double rate;

  @Option(
      names = {"-d", "--duration"},
      description = "Measured seconds.",
      defaultValue = "10")
  int duration;

  @Option(names = "--warmup", description = "Warm-up seconds before measuring.", defaultValue = "2")
  int warmup;

  @Option(
      names = "--payload-bytes",
      description = "Padding added to each event's payload, in bytes (0..60000).",
      defaultValue = "100")
  int payloadBytes;

  @Option(names = "--api-key", description = "Default: RELAY_API_KEY or .relay/dev.env.")
  String apiKey;

  @Option(names = "--jwt-secret", description = "Default: JWT_SIGNING_SECRET or .relay/dev.env.")
  String jwtSecret;

  @Option(names = "--gateway-pid", description = "Gateway pid for RSS and CPU.", defaultValue = "0")
  long gatewayPid;

  @Option(names = "--publish-pid", description = "publish-api pid for CPU.", defaultValue = "0")
  long publishPid;

  @Option(
      names = "--jvm-heap",
      description =
          "Also measure the gateway's live heap after GC (jcmd); assumes -XX:+AlwaysPreTouch so"
              + " the RSS delta is native growth only.")
  boolean jvmHeap;

  @Option(names = "--threads", description = "Client event loops.", defaultValue = "2")
  int threads;

  @Option(
      names = "--connect-concurrency",
      description = "WebSocket handshakes in flight at once while connecting.",
      defaultValue = "200")
  int connectConcurrency;

  @Option(
      names = "--publish-connections",
      description = "HTTP keep-alive pool.",
      defaultValue = "64")
  int publishConnections;

  @Option(names = "--drain", description = "Seconds to wait for stragglers.", defaultValue = "5")
  int drain;

  @Option(names = "--token-ttl", description = "Token lifetime, s (≤ 300).", defaultValue = "300")
  int tokenTtl;

  @Option(names = "--json-out", description = "Also append the JSON line to this file.")
  Path jsonOut;

  @Option(
      names = "--streams",
      description =
          "Streaming load instead (SPEC §12): this many concurrent POST /v1/events:stream, each to"
              + " a room of its own (0: off).",
      defaultValue = "0")
  int streams;

  @Option(
      names = "--deltas-per-second",
      description = "Streaming load: message.delta lines per second per stream.",
      defaultValue = "20")
  double deltasPerSecond;

  @Option(
      names = "--subscribers-per-stream",
      description = "Streaming load: JSON-protocol subscribers of each stream's room.",
      defaultValue = "1")
  int subscribersPerStream;

  @Option(
      names = "--reconnect-fraction",
      description =
          "Streaming load: share of subscribers that drop half-way and recover with since.",
      defaultValue = "0.1")
  double reconnectFraction;

  @Override
  public Integer call() throws InterruptedException, IOException {
    DevEnvFile env = DevEnvFile.locate();
    String defaultUrl = env.get("RELAY_URL").orElse("http://127.0.0.1:8080");
    if (streams > 0) {
      return streamLoad(env, defaultUrl);
    }
    BenchConfig config;
    try {
      config =
          new BenchConfig(
                  label,
                  URI.create(publishUrl != null ? publishUrl : defaultUrl),
                  URI.create(gatewayUrl != null ? gatewayUrl : defaultUrl),
                  protocol,
                  connections,
                  rooms,
                  rate,
                  duration,
                  warmup,
                  payloadBytes,
                  apiKey != null ? apiKey : firstOf(env.get("RELAY_API_KEY").orElse(null)),
                  jwtSecret != null
                      ? jwtSecret
                      : firstOf(env.get("JWT_SIGNING_SECRET").orElse(null)),
                  gatewayPid,
                  publishPid,
                  jvmHeap,
                  threads,
                  connectConcurrency,
                  publishConnections,
                  drain,
                  tokenTtl,
                  true)
              .validate();
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      return 2;
    }
    BenchResult result = new BenchRun(config, System.err).execute();
    System.out.print(result.toTable());
    String line = result.toJsonLine();
    System.out.println(line);
    if (jsonOut != null) {
      Files.writeString(
          jsonOut,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    boolean clean =
        result.connectFailed() == 0
            && result.dropped() == 0
            && result.missing() == 0
            && result.duplicates() == 0
            && result.publishErrors() == 0;
    return clean ? 0 : 1;
  }

  private int streamLoad(DevEnvFile env, String defaultUrl) throws IOException {
    if (streams > 20_000 || subscribersPerStream < 1 || deltasPerSecond <= 0 || duration < 1) {
      System.err.println("bench: --streams 1..20000, --subscribers-per-stream ≥ 1, rates > 0");
      return 2;
    }
    StreamLoad.Config config =
        new StreamLoad.Config(
            URI.create(publishUrl != null ? publishUrl : defaultUrl),
            URI.create(gatewayUrl != null ? gatewayUrl : defaultUrl),
            apiKey != null ? apiKey : firstOf(env.get("RELAY_API_KEY").orElse(null)),
            jwtSecret != null ? jwtSecret : firstOf(env.get("JWT_SIGNING_SECRET").orElse(null)),
            streams,
            subscribersPerStream,
            deltasPerSecond,
            duration,
            warmup,
            reconnectFraction,
            threads,
            connectConcurrency,
            publishPid > 0 ? publishPid : gatewayPid,
            gatewayPid);
    StreamLoad.Outcome outcome;
    try {
      outcome = new StreamLoad(config, System.err).run();
    } catch (Exception e) {
      System.err.println("bench: streaming load failed: " + e);
      return 1;
    }
    System.out.print(outcome.table());
    System.out.println(outcome.json());
    if (jsonOut != null) {
      Files.writeString(
          jsonOut,
          outcome.json() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    return outcome.clean() ? 0 : 1;
  }

  /** The first of comma-separated values (the signing one for secrets, SPEC §1). */
  private static String firstOf(String values) {
    return values == null ? null : values.split(",")[0].strip();
  }

  static final class ProtocolConverter implements picocli.CommandLine.ITypeConverter<Protocol> {
    @Override
    public Protocol convert(String value) {
      return Protocol.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
    }
  }
}
