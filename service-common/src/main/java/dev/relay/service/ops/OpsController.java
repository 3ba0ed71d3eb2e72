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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
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
  @Operation(summary = "Liveness: the process answers")
  @SecurityRequirements
  @ApiResponse(responseCode = "200", description = "always {\"status\":\"ok\"}")
  public HealthBody healthz() {
    return new HealthBody("ok");
  }

  @Get("/readyz")
  @Operation(summary = "Readiness: Redis reachable, stream consumer running, not draining")
  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "ready",
      content = @Content(schema = @Schema(implementation = ReadyBody.class)))
  @ApiResponse(
      responseCode = "503",
      description = "not ready; failing names the checks",
      content = @Content(schema = @Schema(implementation = ReadyBody.class)))
  public CompletionStage<HttpResponse<ReadyBody>> readyz() {
    return readiness
        .probe()
        .thenApply(
            report ->
                HttpResponse.status(report.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ReadyBody(report.ready(), report.failing())));
  }

  @Get("/info")
  @Operation(summary = "Name, version, commit, uptime, instance id and engine of this process")
  @SecurityRequirements
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
  @Operation(summary = "Prometheus metrics (text exposition format)")
  @SecurityRequirements
  public HttpResponse<String> metrics() {
    return HttpResponse.ok(prometheus.scrape()).contentType(PROMETHEUS_TEXT);
  }
}
