package dev.relay.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./relay bench report}: turns the JSON lines of several runs into a markdown results file
 * and a PNG of fan-out latency against connections. A run's label is {@code <load>/<system>} (e.g.
 * {@code a-10k/relay}); runs of the same load by {@code relay} and {@code peer} get ratios.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Results file and plot.")
public final class ResultsReport implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--in", required = true, description = "JSON lines written by --json-out.")
  Path in;

  @Option(names = "--header", description = "Markdown to put first (machine, commands).")
  Path header;

  @Option(names = "--md", required = true, description = "Markdown file to write.")
  Path md;

  @Option(names = "--png", description = "Plot to write (latency vs connections).")
  Path png;

  @Option(names = "--plot-prefix", defaultValue = "sweep", description = "Loads plotted.")
  String plotPrefix;

  @Override
  public Integer call() throws IOException {
    List<JsonNode> runs = new ArrayList<>();
    for (String line : Files.readAllLines(in)) {
      if (!line.isBlank()) {
        runs.add(JSON.readTree(line));
      }
    }
    StringBuilder out = new StringBuilder();
    if (header != null) {
      out.append(Files.readString(header)).append('\n');
    }
    out.append(table(runs)).append('\n').append(ratios(runs));
    if (png != null) {
      new LatencyPlot(runs, plotPrefix).write(png);
      out.append("\n![fan-out latency vs connections](").append(png.getFileName()).append(")\n");
    }
    Files.writeString(md, out);
    System.err.println("wrote " + md + (png != null ? " and " + png : ""));
    return 0;
  }

  static String table(List<JsonNode> runs) {
    StringBuilder t = new StringBuilder("## Runs\n\n");
    t.append(
        "| load | system | protocol | conns ready | rooms | rate/s | delivered/expected | dup |"
            + " missing | fan-out p50 | p90 | p99 | max (ms) | publish p50 | p99 (ms) |"
            + " mem/conn KiB | gateway CPU % | publish CPU % | bench CPU % |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonNode r : runs) {
      String[] label = split(r.path("label").asText());
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d/%d | %d | %s | %d/%d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              label[0],
              label[1],
              r.path("protocol").asText(),
              r.path("connected").asInt(),
              r.path("connections").asInt(),
              r.path("rooms").asInt(),
              num(r, "achievedRate"),
              r.path("delivered").asLong(),
              r.path("expected").asLong(),
              r.path("duplicates").asLong(),
              r.path("missing").asLong(),
              num(r, "fanoutP50Ms"),
              num(r, "fanoutP90Ms"),
              num(r, "fanoutP99Ms"),
              num(r, "fanoutMaxMs"),
              num(r, "publishP50Ms"),
              num(r, "publishP99Ms"),
              num(r, "memPerConnKib"),
              num(r, "gatewayCpuPct"),
              num(r, "publishCpuPct"),
              num(r, "benchCpuPct")));
    }
    return t.toString();
  }

  static String ratios(List<JsonNode> runs) {
    Map<String, Map<String, JsonNode>> byLoad = new LinkedHashMap<>();
    for (JsonNode r : runs) {
      String[] label = split(r.path("label").asText());
      byLoad.computeIfAbsent(label[0], k -> new LinkedHashMap<>()).put(label[1], r);
    }
    StringBuilder t =
        new StringBuilder("## Relay vs peer (Relay ÷ peer; < 1 means Relay is better)\n\n");
    t.append("| load | fan-out p50 | fan-out p99 | publish p99 | mem/conn | gateway CPU |\n");
    t.append("|---|---|---|---|---|---|\n");
    byLoad.forEach(
        (load, systems) -> {
          JsonNode relay = systems.get("relay");
          JsonNode peer = systems.get("peer");
          if (relay != null && peer != null) {
            t.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    load,
                    ratio(relay, peer, "fanoutP50Ms"),
                    ratio(relay, peer, "fanoutP99Ms"),
                    ratio(relay, peer, "publishP99Ms"),
                    ratio(relay, peer, "memPerConnKib"),
                    ratio(relay, peer, "gatewayCpuPct")));
          }
        });
    return t.toString();
  }

  static String[] split(String label) {
    int slash = label.lastIndexOf('/');
    return slash < 0
        ? new String[] {label, "-"}
        : new String[] {label.substring(0, slash), label.substring(slash + 1)};
  }

  private static String num(JsonNode r, String field) {
    JsonNode v = r.get(field);
    return v == null || !v.isNumber() || v.asDouble() < 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f", v.asDouble());
  }

  private static String ratio(JsonNode a, JsonNode b, String field) {
    JsonNode x = a.get(field);
    JsonNode y = b.get(field);
    if (x == null || y == null || !x.isNumber() || !y.isNumber() || y.asDouble() <= 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2f", x.asDouble() / y.asDouble());
  }
}
