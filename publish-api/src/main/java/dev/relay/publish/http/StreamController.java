package dev.relay.publish.http;

import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.ProblemException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;

/**
 * The OpenAPI entry of {@code POST /v1/events:stream} (SPEC §12). On the Netty server (publish-api,
 * {@code ./relay dev}) the request never reaches this controller: {@code StreamHandler} takes it
 * before Micronaut reads the body, because its lines must be appended as they arrive. Where no such
 * handler runs (the Lambda adapter, which buffers whole requests), this answers 404 {@code
 * not_found}.
 */
@Controller
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class StreamController {

  /** One refused line of a stream. */
  @Serdeable
  public record LineRejection(
      @Schema(description = "line number in the body, from 1") int line,
      @Schema(description = "the stable code, as for a single publish") String code,
      @Schema(description = "why, in words") String detail) {}

  /** The answer at the end of a stream. */
  @Serdeable
  public record StreamSummary(
      @Schema(description = "lines appended") int accepted,
      List<LineRejection> rejected,
      @Schema(
              description =
                  "present when the server ended the stream: idle_timeout (no complete line for"
                      + " 30 s) or stream_timeout (open for 10 min); later lines were not read",
              nullable = true)
          String code) {}

  @Operation(
      summary = "Publish a stream of events to one room, each appended and delivered as it arrives",
      description =
          "Body: newline-delimited JSON, each line a POST /v1/events body, all for the room of the"
              + " first valid line; chunked, at most 16 MiB. Bearer key only (no"
              + " X-Relay-Signature). One rate-limit token per stream. Not on the Lambda adapter.",
      security = @SecurityRequirement(name = "bearer"))
  @RequestBody(
      content =
          @Content(
              mediaType = "application/x-ndjson",
              schema = @Schema(implementation = OpenApiDocs.EventBody.class)))
  @ApiResponse(
      responseCode = "200",
      description = "the stream ended; per-line rejections in line order",
      content = @Content(schema = @Schema(implementation = StreamSummary.class)))
  @OpenApiDocs.ProblemResponses
  @Post(
      value = "/v1/events:stream",
      consumes = MediaType.ALL,
      produces = MediaType.APPLICATION_JSON)
  public StreamSummary stream() {
    throw new ProblemException(
        404,
        ErrorCodes.NOT_FOUND,
        "streaming needs the publish-api server; this deployment buffers whole requests",
        null,
        0);
  }
}
