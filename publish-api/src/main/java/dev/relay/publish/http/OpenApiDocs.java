package dev.relay.publish.http;

import dev.relay.service.http.Problem;
import dev.relay.service.ops.OpsController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.security.SecuritySchemes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

/**
 * What micronaut-openapi needs beyond the controller to write the publish-api's OpenAPI document at
 * compile time ({@code META-INF/swagger/relay-publish-api-1.yml}, committed as {@code
 * docs/openapi.yaml}). The records describe request bodies only: the controller reads raw bytes
 * because the HMAC signature covers them, so nothing here is used at run time.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Relay publish-api",
            version = "1",
            description =
                "Backends publish JSON events to rooms; subscribers receive them over WebSocket"
                    + " (see docs/asyncapi.yaml). Errors are RFC 9457 problem details with a stable"
                    + " code.",
            license = @License(name = "Apache-2.0")),
    security = {@SecurityRequirement(name = "bearer"), @SecurityRequirement(name = "hmac")})
@SecuritySchemes({
  @SecurityScheme(
      name = "bearer",
      type = SecuritySchemeType.HTTP,
      scheme = "bearer",
      description = "Authorization: Bearer <one of RELAY_API_KEY>"),
  @SecurityScheme(
      name = "hmac",
      type = SecuritySchemeType.APIKEY,
      in = SecuritySchemeIn.HEADER,
      paramName = "X-Relay-Signature",
      description =
          "t=<unix seconds>,v1=<hex HMAC-SHA256(key, \"<t>.<raw body>\")>, accepted within ±300 s")
})
// The ops endpoints every service serves (service-common), so the document covers every route.
@OpenAPIInclude(classes = OpsController.class)
final class OpenApiDocs {

  private static final String PROBLEM = "application/problem+json";

  private OpenApiDocs() {}

  /** The problem-details answers both publish operations share (codes of SPEC §2). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "401",
      description = "unauthorized",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "payload_too_large",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "415",
      description = "unsupported_media_type",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "429",
      description = "rate_limited, with Retry-After",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "unavailable (Redis down), with Retry-After; nothing half-written",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @interface ProblemResponses {}

  /** The problem-details answers of the read operations (no body, no rate limit). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request, naming the field (room, limit, before)",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "401",
      description = "unauthorized",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "unavailable (Redis down), with Retry-After",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @interface ReadProblemResponses {}

  /** The problem-details answers of unsubscribe and disconnect (SPEC §11). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request, naming the field (room, sub, code, body)",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "401",
      description = "unauthorized (checked before the body is read)",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "413",
      description = "payload_too_large: a body over 4 KiB (refused before it is read)",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @ApiResponse(
      responseCode = "503",
      description = "unavailable (Redis down), with Retry-After",
      content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = Problem.class)))
  @interface ControlProblemResponses {}

  /** The body of {@code POST /v1/rooms/{room}/unsubscribe}. */
  @Schema(name = "Unsubscribe", requiredProperties = "sub")
  record UnsubscribeBody(
      @Schema(
              description = "the user to remove (token sub), no control characters",
              maxLength = 256)
          String sub) {}

  /** The body of {@code POST /v1/users/{sub}/disconnect} (optional). */
  @Schema(name = "Disconnect")
  record DisconnectBody(
      @Schema(
              description = "WebSocket close code; default 4003 when absent",
              minimum = "4000",
              maximum = "4999")
          Integer code) {}

  /** The answer of {@code GET /v1/rooms/{room}/history}. */
  @Schema(
      name = "HistoryPage",
      requiredProperties = {"events", "more"})
  record HistoryPage(
      @Schema(description = "envelopes v1 (SPEC §3), newest first")
          List<Map<String, Object>> events,
      @Schema(description = "older stored events remain: ask again with before = the last id")
          boolean more) {}

  /** The body of {@code POST /v1/events}: exactly one of {@code sessionId} and {@code room}. */
  @Schema(
      name = "PublishEvent",
      requiredProperties = {"event", "payload"})
  record EventBody(
      @Schema(description = "targets room session:<sessionId>", maxLength = 128) String sessionId,
      @Schema(description = "any room <kind>:<id>", example = "team:42") String room,
      @Schema(description = "lowercase dotted event type", example = "vote.cast", maxLength = 64)
          String event,
      @Schema(description = "JSON object, at most RELAY_MAX_PAYLOAD_BYTES serialized")
          Map<String, Object> payload,
      @Schema(
              description = "idempotency key (24 h per room), like Idempotency-Key",
              maxLength = 128)
          String nonce,
      @Schema(
              description = "ISO-8601; becomes issuedAt (without it, issuedAt = publishedAt)",
              format = "date-time")
          String timestamp) {}

  /** The body of {@code POST /v1/events:batch}. */
  @Schema(name = "PublishBatch")
  record BatchBody(
      @ArraySchema(maxItems = 100, schema = @Schema(implementation = EventBody.class))
          List<EventBody> events) {}
}
