package dev.relay.publish.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.relay.engine.Appended;
import dev.relay.publish.events.BatchOutcome;
import dev.relay.publish.events.PublishRequest;
import dev.relay.publish.events.Publisher;
import dev.relay.service.http.ProblemException;
import dev.relay.service.net.ClientAddress;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The publish endpoints of SPEC §2. A thin adapter: it reads the raw body and headers and hands
 * them to {@link Publisher}; failures are {@link ProblemException}s answered as problem details.
 * The body is read raw (any content type) because the HMAC signature covers its exact bytes and
 * {@link Publisher} decides the 415.
 *
 * <p>On the Netty server (publish-api, dev mode) {@code POST /v1/events} and {@code /events} are
 * normally answered by {@link FastPublishHandler} before Micronaut routes them, with the same
 * answers; {@link #publish} stays the OpenAPI entry, the implementation for the Lambda adapter (no
 * Netty) and for the requests that handler leaves to Micronaut (see {@link
 * FastPublishHandler#takes}). Like {@link StreamController} for {@code :stream}.
 */
@Controller
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class PublishController {

  /** The 202 body: the event id, its room and whether the nonce had been seen before. */
  @Serdeable
  public record Published(String id, String room, boolean duplicate) {}

  /** One result of a batch, in request order; error fields are left out on success. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BatchResult(
      int status,
      @Nullable String id,
      @Nullable String room,
      @Nullable Boolean duplicate,
      @Nullable String code,
      @Nullable String field,
      @Nullable String detail) {}

  /** The batch body. */
  @Serdeable
  public record BatchResults(List<BatchResult> results) {}

  static final String SIGNATURE = "X-Relay-Signature";
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String TRACEPARENT = "traceparent";
  private static final Logger EVENTS = LoggerFactory.getLogger("relay.events");

  private final Publisher publisher;
  private final ClientAddress clientAddress;

  public PublishController(Publisher publisher, ClientAddress clientAddress) {
    this.publisher = publisher;
    this.clientAddress = clientAddress;
  }

  @Operation(summary = "Publish one event to a room; 202 once it is durably in Redis")
  @RequestBody(
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = OpenApiDocs.EventBody.class)))
  @ApiResponse(
      responseCode = "202",
      description = "accepted; duplicate=true with the first id for a repeated nonce",
      content = @Content(schema = @Schema(implementation = Published.class)))
  @OpenApiDocs.ProblemResponses
  @Post(
      uris = {"/v1/events", "/events"},
      consumes = MediaType.ALL,
      produces = MediaType.APPLICATION_JSON)
  public CompletionStage<HttpResponse<Published>> publish(
      HttpRequest<?> request, @Nullable @Body byte[] body) {
    String traceId = MDC.get(TraceIdFilter.MDC_KEY);
    return publisher
        .publish(toPublishRequest(request, body))
        .thenApply(
            appended -> {
              logPublished(traceId, appended);
              return HttpResponse.status(HttpStatus.ACCEPTED).body(published(appended));
            });
  }

  @Operation(summary = "Publish up to 100 events; one result per event, in request order")
  @RequestBody(
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = OpenApiDocs.BatchBody.class)))
  @ApiResponse(
      responseCode = "200",
      description = "one result per event: status 202 with id, or a 4xx status with code",
      content = @Content(schema = @Schema(implementation = BatchResults.class)))
  @OpenApiDocs.ProblemResponses
  @Post(value = "/v1/events:batch", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
  public CompletionStage<BatchResults> publishBatch(
      HttpRequest<?> request, @Nullable @Body byte[] body) {
    String traceId = MDC.get(TraceIdFilter.MDC_KEY);
    return publisher
        .publishBatch(toPublishRequest(request, body))
        .thenApply(
            outcomes -> {
              for (BatchOutcome outcome : outcomes) {
                if (outcome.appended() != null) {
                  logPublished(traceId, outcome.appended());
                }
              }
              return new BatchResults(
                  outcomes.stream().map(PublishController::batchResult).toList());
            });
  }

  private PublishRequest toPublishRequest(HttpRequest<?> request, byte[] body) {
    HttpHeaders headers = request.getHeaders();
    return toPublishRequest(
        body,
        headers::get,
        request.getRemoteAddress().getAddress() == null
            ? null
            : request.getRemoteAddress().getAddress().getHostAddress(),
        clientAddress);
  }

  /**
   * The {@link PublishRequest} of an HTTP publish: the body and the headers that matter, and the
   * client IP from the peer address ({@code peerIp}, null when unknown) and {@code
   * X-Forwarded-For}. The one home of this mapping, for this controller and {@link
   * FastPublishHandler}.
   */
  static PublishRequest toPublishRequest(
      byte[] body, Function<String, String> header, String peerIp, ClientAddress clientAddress) {
    return new PublishRequest(
        body,
        header.apply(HttpHeaders.CONTENT_TYPE),
        header.apply(HttpHeaders.AUTHORIZATION),
        header.apply(SIGNATURE),
        header.apply(IDEMPOTENCY_KEY),
        header.apply(TRACEPARENT),
        peerIp == null ? null : clientAddress.resolve(peerIp, header.apply("X-Forwarded-For")));
  }

  /**
   * The per-event "published" line, at DEBUG on the {@code relay.events} logger (off unless {@code
   * RELAY_EVENT_LOG_LEVEL=DEBUG}; on in dev mode), with the request's trace id. Runs on whichever
   * thread completed the append, so the MDC is set here explicitly.
   */
  static void logPublished(String traceId, Appended appended) {
    if (!EVENTS.isDebugEnabled()) {
      return;
    }
    try (MDC.MDCCloseable ignored =
        traceId == null ? null : MDC.putCloseable(TraceIdFilter.MDC_KEY, traceId)) {
      EVENTS.debug("event published: eventId={} duplicate={}", appended.id(), appended.duplicate());
    }
  }

  private static Published published(Appended appended) {
    return new Published(appended.id().toString(), appended.room(), appended.duplicate());
  }

  private static BatchResult batchResult(BatchOutcome outcome) {
    if (outcome.appended() != null) {
      Appended a = outcome.appended();
      return new BatchResult(202, a.id().toString(), a.room(), a.duplicate(), null, null, null);
    }
    ProblemException e = outcome.error();
    return new BatchResult(e.status(), null, null, null, e.code(), e.field(), e.getMessage());
  }
}
