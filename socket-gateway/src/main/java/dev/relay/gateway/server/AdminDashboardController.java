package dev.relay.gateway.server;

import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.service.http.ErrorMetrics;
import dev.relay.service.logging.InstanceId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The live admin dashboard (SPEC §8): {@code GET /admin} serves one static page and {@code GET
 * /admin/dashboard.js} its script (no secret in them; the page asks for the admin key and keeps it
 * in the tab's session storage). The page polls {@code GET /admin/stats} every second, lists every
 * gateway's rooms, a room's members and last events, and calls the admin API's actions after a
 * confirm step (docs/observability.md). The stats are behind the admin key like every other admin
 * endpoint. They are this instance's: counters are monotonic since start, and the page turns them
 * into rates and interval percentiles from the difference between two polls.
 */
@Controller("/admin")
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class AdminDashboardController {

  /** One cumulative histogram bucket: {@code count} observations were ≤ {@code le} seconds. */
  @Serdeable
  public record Bucket(double le, double count) {}

  /** The fan-out latency histogram (stage {@code write}) so far. */
  @Serdeable
  public record Latency(long count, double sumSeconds, List<Bucket> buckets) {}

  /**
   * A connection: the id {@code DELETE /admin/connections/{id}} takes, and the {@code jti} and
   * expiry of its connection token (what {@code POST /admin/revocations} takes; jti null when the
   * token has none).
   */
  @Serdeable
  public record Conn(String id, String sub, @Nullable String jti, Instant expiresAt) {}

  @Serdeable
  public record Stats(
      String instanceId,
      long atMillis,
      int connections,
      int rooms,
      long eventsRead,
      long deliveries,
      Map<String, Double> errors,
      Map<String, Double> refused,
      Latency fanout,
      List<Conn> connectionList,
      List<AdminController.RoomSummary> topRooms) {}

  private static final int MAX_LISTED = 200;

  private final AdminKey key;
  private final Hub hub;
  private final SessionRegistry sessions;
  private final MeterRegistry meters;

  public AdminDashboardController(
      AdminKey key, Hub hub, SessionRegistry sessions, MeterRegistry meters) {
    this.key = key;
    this.hub = hub;
    this.sessions = sessions;
    this.meters = meters;
  }

  @Get(produces = MediaType.TEXT_HTML)
  @Operation(
      summary =
          "The live dashboard page: static HTML without secrets that asks for the admin key and"
              + " polls /admin/stats")
  HttpResponse<byte[]> page() throws IOException {
    return resource("/admin/dashboard.html", MediaType.TEXT_HTML_TYPE);
  }

  private HttpResponse<byte[]> resource(String path, MediaType type) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(path)) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(in.readAllBytes())
          .contentType(type)
          .header("Cache-Control", "no-cache");
    }
  }

  @Get(value = "/dashboard.js", produces = "text/javascript")
  @Operation(
      summary =
          "The dashboard page's script: static, without secrets (it sends the key the operator"
              + " typed)")
  HttpResponse<byte[]> script() throws IOException {
    return resource("/admin/dashboard.js", MediaType.of("text/javascript; charset=utf-8"));
  }

  @Get("/stats")
  @Operation(summary = "What the dashboard page shows: this instance's counters and connections")
  @AdminApiDocs.AdminProblems
  Stats stats(@Nullable @Header("Authorization") String authorization) {
    key.authorize(authorization);
    Timer dispatch = meters.find("relay.fanout.latency").tag("stage", "dispatch").timer();
    Timer write = meters.find("relay.fanout.latency").tag("stage", "write").timer();
    List<Conn> connections = new ArrayList<>();
    for (SessionRegistry.Entry e : sessions.all()) {
      if (connections.size() == MAX_LISTED) {
        break;
      }
      connections.add(
          new Conn(
              e.session().id(), e.session().sub(), e.session().jti(), e.session().expiresAt()));
    }
    connections.sort(Comparator.comparing(Conn::id));
    List<AdminController.RoomSummary> top =
        hub.roomSizes().entrySet().stream()
            .map(e -> new AdminController.RoomSummary(e.getKey(), e.getValue()))
            .sorted(Comparator.comparingInt(AdminController.RoomSummary::connections).reversed())
            .limit(10)
            .toList();
    return new Stats(
        InstanceId.current(),
        System.currentTimeMillis(),
        sessions.size(),
        hub.roomCount(),
        dispatch == null ? 0 : dispatch.count(),
        hub.deliveredCount(),
        counters(ErrorMetrics.ERRORS, "type"),
        counters("relay.connections.refused", "code"),
        latency(write),
        connections,
        top);
  }

  private Map<String, Double> counters(String name, String tag) {
    Map<String, Double> values = new TreeMap<>();
    for (Counter c : meters.find(name).counters()) {
      values.merge(c.getId().getTag(tag), c.count(), Double::sum);
    }
    return values;
  }

  private static Latency latency(Timer timer) {
    if (timer == null) {
      return new Latency(0, 0, List.of());
    }
    var snapshot = timer.takeSnapshot();
    List<Bucket> buckets = new ArrayList<>();
    for (CountAtBucket b : snapshot.histogramCounts()) {
      buckets.add(new Bucket(b.bucket(TimeUnit.SECONDS), b.count()));
    }
    return new Latency(snapshot.count(), snapshot.total(TimeUnit.SECONDS), buckets);
  }
}
