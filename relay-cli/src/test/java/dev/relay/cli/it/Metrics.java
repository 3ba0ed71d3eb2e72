package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;

/** Reads a service's {@code GET /metrics} (Prometheus text) in the system ITs. */
final class Metrics {

  private Metrics() {}

  /** The whole {@code /metrics} answer of the service at {@code base}; it must be 200. */
  static String scrape(URI base) {
    HttpResponse<String> metrics = Http.get(base.resolve("/metrics"), null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics.body();
  }

  /** The value of the sample line starting with {@code series} (name plus labels), or -1. */
  static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).strip().split(" ")[0]);
      }
    }
    return -1;
  }

  /** The largest value among the samples of metric {@code name}, whatever their labels, or -1. */
  static double max(String metrics, String name) {
    double max = -1;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        int value = line.startsWith(name + "{") ? line.lastIndexOf('}') + 1 : name.length();
        max = Math.max(max, Double.parseDouble(line.substring(value).strip().split(" ")[0]));
      }
    }
    return max;
  }
}
