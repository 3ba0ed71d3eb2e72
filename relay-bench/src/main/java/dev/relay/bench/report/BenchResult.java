package dev.relay.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * The outcome of one bench run; serialised as one JSON line (field names are the column names of
 * docs/perf-tests/README.md). Latencies in milliseconds, memory in KiB, CPU in percent of one core
 * over the measured window; {@code -1} or {@code NaN} (written as {@code null}) when not measured.
 */
public record BenchResult(
    String label,
    String protocol,
    int connections,
    int connected,
    int connectFailed,
    int dropped,
    int rooms,
    double rate,
    int durationS,
    int payloadBytes,
    double connectWallMs,
    Double connectP50Ms,
    Double connectP99Ms,
    long published,
    long accepted,
    long publishErrors,
    int publishMaxBacklog,
    double achievedRate,
    long expected,
    long delivered,
    long duplicates,
    long missing,
    long foreign,
    long latencySamples,
    Double fanoutP50Ms,
    Double fanoutP90Ms,
    Double fanoutP99Ms,
    Double fanoutMaxMs,
    Double publishP50Ms,
    Double publishP99Ms,
    long gatewayRssKib,
    long rssBaselineKib,
    Double rssPerConnKib,
    Double heapPerConnKib,
    Double memPerConnKib,
    Double gatewayCpuPct,
    Double publishCpuPct,
    Double benchCpuPct) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finite value, or null (so JSON carries {@code null} rather than {@code NaN}). */
  public static Double finite(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : null;
  }

  public String toJsonLine() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A human-readable table, one metric per line. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    row(out, "run", label + " (" + protocol + ")");
    row(
        out,
        "connections",
        connected
            + "/"
            + connections
            + " ready, "
            + connectFailed
            + " failed, "
            + dropped
            + " dropped, "
            + rooms
            + " rooms");
    row(
        out,
        "connect",
        fmt(connectWallMs)
            + " ms total; p50 "
            + fmt(connectP50Ms)
            + " ms, p99 "
            + fmt(connectP99Ms)
            + " ms");
    row(
        out,
        "published",
        accepted
            + "/"
            + published
            + " accepted at "
            + fmt(achievedRate)
            + " ev/s (target "
            + fmt(rate)
            + "), "
            + publishErrors
            + " errors, max backlog "
            + publishMaxBacklog);
    row(
        out,
        "delivered",
        delivered
            + "/"
            + expected
            + ", "
            + duplicates
            + " duplicates, "
            + missing
            + " missing, "
            + foreign
            + " foreign");
    row(
        out,
        "fan-out latency",
        "p50 "
            + fmt(fanoutP50Ms)
            + "  p90 "
            + fmt(fanoutP90Ms)
            + "  p99 "
            + fmt(fanoutP99Ms)
            + "  max "
            + fmt(fanoutMaxMs)
            + " ms ("
            + latencySamples
            + " samples)");
    row(out, "publish latency", "p50 " + fmt(publishP50Ms) + "  p99 " + fmt(publishP99Ms) + " ms");
    row(
        out,
        "gateway memory",
        "RSS "
            + gatewayRssKib
            + " KiB; per connection: RSS "
            + fmt(rssPerConnKib)
            + ", heap "
            + fmt(heapPerConnKib)
            + ", total "
            + fmt(memPerConnKib)
            + " KiB");
    row(
        out,
        "cpu %",
        "gateway "
            + fmt(gatewayCpuPct)
            + ", publish "
            + fmt(publishCpuPct)
            + ", bench "
            + fmt(benchCpuPct));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "%-16s %s%n", name, value));
  }

  static String fmt(Double value) {
    return value == null || !Double.isFinite(value)
        ? "-"
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
