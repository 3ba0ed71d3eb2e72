package dev.relay.service.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.relay.engine.EventLog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Operations endpoints every service serves, without authentication and without anything secret:
 * {@code /healthz} (the process answers), {@code /readyz} (every {@link ReadinessCheck} is ready),
 * {@code /info} and {@code /metrics} (Prometheus text).
 */
@Controller
public class OpsController {

  /** {@code /readyz} body: {@code failing} names the checks that are not ready. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReadyBody(boolean ready, List<String> failing) {}

  /** {@code /info} body; {@code uptime} is ISO-8601, {@code uptimeSeconds} whole seconds. */
  @Serdeable
  public record InfoBody(
      String name,
      String version,
      String commit,
      String uptime,
      long uptimeSeconds,
      String instanceId,
      String engine) {}

  /** {@code /healthz} body. */
  @Serdeable
  public record HealthBody(String status) {}

  private static final MediaType PROMETHEUS_TEXT =
      MediaType.of("text/plain; version=0.0.4; charset=utf-8");

  private final ReadinessProbe readiness;
  private final ServiceIdentity identity;
  private final EventLog eventLog;
  private final PrometheusMeterRegistry prometheus;
  private final Clock clock = Clock.systemUTC();

  public OpsController(
      ReadinessProbe readiness,
      ServiceIdentity identity,
      EventLog eventLog,
      PrometheusMeterRegistry prometheus) {
    this.readiness = readiness;
    this.identity = identity;
    this.eventLog = eventLog;
    this.prometheus = prometheus;
  }

  @Get("/healthz")
  public HealthBody healthz() {
    return new HealthBody("ok");
  }

  @Get("/readyz")
  public CompletionStage<HttpResponse<ReadyBody>> readyz() {
    return readiness
        .probe()
        .thenApply(
            report ->
                HttpResponse.status(report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ReadyBody(report.ready(), report.failing())));
  }

  @Get("/info")
  public InfoBody info() {
    java.time.Duration uptime = identity.uptime(clock.instant());
    return new InfoBody(
        identity.name(),
        identity.version(),
        identity.commit(),
        uptime.withNanos(0).toString(),
        uptime.toSeconds(),
        identity.instanceId(),
        eventLog.name());
  }

  @Get("/metrics")
  @Produces("text/plain")
  public HttpResponse<String> metrics() {
    return HttpResponse.ok(prometheus.scrape()).contentType(PROMETHEUS_TEXT);
  }
}
