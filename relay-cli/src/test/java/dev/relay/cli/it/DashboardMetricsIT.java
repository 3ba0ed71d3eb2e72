package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.service.ServiceMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every series the Grafana dashboard ({@code infra/grafana/relay-dashboard.json}) queries exists on
 * {@code /metrics} of a freshly started dev-mode process (both services, memory engine, no webhook,
 * no traffic yet), so no panel says "no data" because a metric is only registered in some modes.
 * Each selector is checked with its label matchers, e.g. {@code
 * relay_fanout_latency_seconds_bucket{stage="write"}}.
 */
class DashboardMetricsIT {

  private static final Path DASHBOARD = Path.of("..", "infra", "grafana", "relay-dashboard.json");

  /** A name in PromQL with optional label matchers (function names are skipped afterwards). */
  private static final Pattern SELECTOR =
      Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?");

  private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");

  /** Grouping clauses, whose label names would otherwise read as metric names. */
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without)\\s*\\([^)]*\\)");

  private static ApplicationContext context;

  @BeforeAll
  static void start() {
    context = Services.devMode("relay-dashboard-it", Map.of());
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      ServiceMain.shutdown(context);
    }
  }

  @Test
  void everySeriesTheDashboardQueriesExistsInMemoryModeWithoutAWebhook() throws IOException {
    Set<String> selectors = selectors(expressions(new ObjectMapper().readTree(DASHBOARD.toFile())));
    assertThat(selectors).as("selectors found in the dashboard").hasSizeGreaterThan(15);
    List<String> lines =
        Metrics.scrape(
                URI.create("http://127.0.0.1:" + context.getBean(EmbeddedServer.class).getPort()))
            .lines()
            .filter(line -> !line.startsWith("#"))
            .toList();
    List<String> missing = new ArrayList<>();
    for (String selector : selectors) {
      if (lines.stream().noneMatch(line -> matches(line, selector))) {
        missing.add(selector);
      }
    }
    assertThat(missing).as("dashboard series absent from /metrics").isEmpty();
  }

  @Test
  void theSelectorParserFindsNamesWithTheirMatchersAndSkipsFunctionsAndGroupings() {
    assertThat(
            selectors(
                List.of(
                    "histogram_quantile(0.99, sum by (le) (rate(a_b_bucket{stage=\"w\"}[5m])))",
                    "sum by (client) (increase(c_total[5m]))")))
        .containsExactly("a_b_bucket{stage=\"w\"}", "c_total");
  }

  private static List<String> expressions(JsonNode node) {
    List<String> found = new ArrayList<>();
    node.findValues("expr").forEach(expr -> found.add(expr.asText()));
    return found;
  }

  private static Set<String> selectors(List<String> expressions) {
    Set<String> selectors = new LinkedHashSet<>();
    for (String expression : expressions) {
      String plain = GROUPING.matcher(expression).replaceAll("").replaceAll("\\[[^]]*]", "");
      Matcher m = SELECTOR.matcher(plain);
      while (m.find()) {
        String name = m.group(1);
        if (name.contains("_") && !isFunction(plain, m.end(1))) {
          selectors.add(name + (m.group(2) == null ? "" : m.group(2)));
        }
      }
    }
    return selectors;
  }

  private static boolean isFunction(String expression, int nameEnd) {
    return expression.substring(nameEnd).stripLeading().startsWith("(");
  }

  /** Whether the sample {@code line} is a series of {@code selector}'s name with its matchers. */
  private static boolean matches(String line, String selector) {
    int brace = selector.indexOf('{');
    String name = brace < 0 ? selector : selector.substring(0, brace);
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
      return false;
    }
    if (brace < 0) {
      return true;
    }
    Matcher m = MATCHER.matcher(selector.substring(brace));
    while (m.find()) {
      if (!line.contains(m.group(1) + "=\"" + m.group(2) + "\"")) {
        return false;
      }
    }
    return true;
  }
}
