package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.gateway.auth.TokenSigner;
import dev.relay.gateway.server.TracingFactory;
import dev.relay.service.ServiceMain;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both services in one process (memory engine), one publish and one delivery, then: {@code
 * /metrics} has the SPEC §8 metric names and no label value that names the session, its room, the
 * user or the token; and the gateway's delivery span carries the publisher's trace id, with the
 * publisher's span as parent (spans caught by an in-memory exporter).
 */
class ObservabilityIT {

  private static final String SECRET = "observability-it-signing-secret-0123456789";
  private static final String API_KEY = "observability-it-api-key-0123456789abcdef";
  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ApplicationContext context;
  private static String base;

  /** Replaces the gateway's no-op OpenTelemetry with one that exports into {@link #SPANS}. */
  @Factory
  @Requires(property = "spec.name", value = "ObservabilityIT")
  static class InMemoryTracing {
    @Singleton
    @Replaces(bean = OpenTelemetry.class, factory = TracingFactory.class)
    OpenTelemetry openTelemetry() {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
                  .build())
          .build();
    }
  }

  @BeforeAll
  static void start() {
    context =
        Services.devMode(
            "relay-observability-it",
            Map.of(
                "spec.name", "ObservabilityIT",
                "relay.api.key", API_KEY,
                "jwt.signing.secret", SECRET));
    base = "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      ServiceMain.shutdown(context);
    }
  }

  @Test
  void metricsAfterAPublishAndADeliveryHaveTheNamesAndNoIdentifyingLabel() throws Exception {
    String session = "obs-" + UUID.randomUUID();
    String sub = "user-" + UUID.randomUUID();
    String token = token(sub, session);
    try (WsTestClient client = WsTestClient.connect(wsUrl(token))) {
      client.expect("welcome");
      assertThat(publish(session, null).statusCode()).isEqualTo(202);
      assertThat(client.expectEvents(1)).hasSize(1);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Metrics.sample(scrape(), "relay_fanout_latency_seconds_count{stage=\"write\"}")
                      >= 1);
      String metrics = scrape();
      assertThat(metrics)
          .contains(
              "relay_publish_latency_seconds_bucket",
              "relay_publish_total{result=\"accepted\"}",
              "relay_session_events_total",
              "relay_connected_clients",
              "relay_events_delivered_total",
              "relay_fanout_latency_seconds_bucket{stage=\"dispatch\"",
              "relay_fanout_latency_seconds_bucket{stage=\"write\"",
              "relay_engine_events_received_total",
              "relay_engine_followed_rooms",
              "relay_errors_total{type=",
              "relay_connections_refused_total{code=");
      assertThat(Metrics.sample(metrics, "relay_publish_total{result=\"accepted\"}"))
          .isGreaterThan(0);
      assertThat(Metrics.sample(metrics, "relay_connected_clients")).isGreaterThanOrEqualTo(1);
      assertThat(Metrics.sample(metrics, "relay_events_delivered_total")).isGreaterThanOrEqualTo(1);

      Set<String> labelValues = labelValues(metrics);
      assertThat(labelValues).isNotEmpty();
      for (String forbidden : List.of(session, "session:" + session, sub, token)) {
        assertThat(labelValues).noneMatch(v -> v.contains(forbidden));
      }
    }
  }

  @Test
  void theDeliverySpanContinuesThePublishersTrace() throws Exception {
    String session = "trace-" + UUID.randomUUID();
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String parentSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String traceparent = "00-" + traceId + "-" + parentSpanId + "-01";
    try (WsTestClient client = WsTestClient.connect(wsUrl(token("tracer", session)))) {
      client.expect("welcome");
      assertThat(publish(session, traceparent).statusCode()).isEqualTo(202);
      String eventId = client.expectEvents(1).get(0).get("id").asText();

      SpanData span =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      SPANS.getFinishedSpanItems().stream()
                          .filter(s -> s.getTraceId().equals(traceId))
                          .findFirst(),
                  Optional::isPresent)
              .orElseThrow();
      assertThat(span.getName()).isEqualTo("relay deliver");
      assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(span.getParentSpanId()).isEqualTo(parentSpanId);
      assertThat(span.getAttributes().asMap().values().stream().map(String::valueOf))
          .contains(eventId, "vote.cast", "1")
          .noneMatch(v -> v.contains(session));
    }
  }

  private static String token(String sub, String session) {
    return new TokenSigner(SECRET.getBytes(StandardCharsets.UTF_8))
        .connectionToken(sub, session, List.of(), List.of("subscribe"), Duration.ofMinutes(5));
  }

  private static String wsUrl(String token) {
    return base.replace("http://", "ws://") + "/realtime?token=" + token;
  }

  private static HttpResponse<String> publish(String session, String traceparent) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .header("Authorization", "Bearer " + API_KEY)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"sessionId\":\""
                        + session
                        + "\",\"event\":\"vote.cast\",\"payload\":{\"issueKey\":\"OBS-1\","
                        + "\"value\":\"5\",\"participantId\":\"acct-1\"}}"));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() {
    return Metrics.scrape(URI.create(base));
  }

  private static Set<String> labelValues(String metrics) {
    Pattern label = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*=\"((?:[^\"\\\\]|\\\\.)*)\"");
    Set<String> values = new HashSet<>();
    for (String line : metrics.split("\n")) {
      int open = line.indexOf('{');
      if (line.startsWith("#") || open < 0) {
        continue;
      }
      Matcher m = label.matcher(line.substring(open, line.lastIndexOf('}') + 1));
      while (m.find()) {
        values.add(m.group(1));
      }
    }
    return values;
  }
}
