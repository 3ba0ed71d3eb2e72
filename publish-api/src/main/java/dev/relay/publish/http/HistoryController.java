package dev.relay.publish.http;

import dev.relay.publish.history.RoomHistoryReader;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/rooms/{room}/history} (SPEC §11): a thin adapter over {@link RoomHistoryReader},
 * which decides every answer; the body is written as the reader built it, so stored envelopes are
 * not re-encoded.
 */
@Controller
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class HistoryController {

  private final RoomHistoryReader reader;

  public HistoryController(RoomHistoryReader reader) {
    this.reader = reader;
  }

  @Operation(summary = "A room's stored events, newest first, for backends and late readers")
  @ApiResponse(
      responseCode = "200",
      description = "newest first; more=true when older stored events remain (page with before)",
      content = @Content(schema = @Schema(implementation = OpenApiDocs.HistoryPage.class)))
  @OpenApiDocs.ReadProblemResponses
  @Get(value = "/v1/rooms/{room}/history", produces = MediaType.APPLICATION_JSON)
  public CompletionStage<HttpResponse<String>> history(
      HttpRequest<?> request,
      @Parameter(description = "room <kind>:<id>", example = "team:42") @PathVariable String room,
      @Parameter(description = "1 to 100, default 50") @Nullable @QueryValue String limit,
      @Parameter(description = "an event id: only older events (exclusive)") @Nullable @QueryValue
          String before) {
    HttpHeaders headers = request.getHeaders();
    return reader
        .read(
            headers.get(HttpHeaders.AUTHORIZATION),
            headers.get(PublishController.SIGNATURE),
            room,
            limit,
            before)
        .thenApply(body -> HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE));
  }
}
