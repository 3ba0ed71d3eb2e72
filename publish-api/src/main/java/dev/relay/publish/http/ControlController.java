package dev.relay.publish.http;

import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.history.ReadCredentials;
import dev.relay.service.control.ControlViews;
import dev.relay.service.control.ServerControl;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Server-side control (SPEC §11): a thin adapter over {@link ServerControl}, behind the publish
 * credentials (a bearer API key, or a signature of the raw body, of the empty body for a GET).
 * Unsubscribe and disconnect answer 202 once the signal is stored; every gateway applies it within
 * about a second.
 */
@Controller
@Requires(property = "relay.publish.enabled", notEquals = "false")
public class ControlController {

  private static final byte[] NO_BODY = new byte[0];

  private final PublishAuthenticator authenticator;
  private final ServerControl control;

  public ControlController(PublishAuthenticator authenticator, ServerControl control) {
    this.authenticator = authenticator;
    this.control = control;
  }

  @Operation(summary = "Who is in a room, on every gateway, with presence info and state")
  @ApiResponse(
      responseCode = "200",
      description = "members sorted by joinedAt, then sub",
      content = @Content(schema = @Schema(implementation = ControlViews.Members.class)))
  @OpenApiDocs.ReadProblemResponses
  @Get("/v1/rooms/{room}/presence")
  public CompletionStage<ControlViews.Members> presence(
      HttpRequest<?> request,
      @Parameter(description = "room <kind>:<id>", example = "team:42") @PathVariable String room) {
    return admitted(request, NO_BODY, () -> control.members(room));
  }

  @Operation(summary = "Occupied rooms on every gateway with member counts, in name order, paged")
  @ApiResponse(
      responseCode = "200",
      description = "next is the cursor of the following page, null on the last",
      content = @Content(schema = @Schema(implementation = ControlViews.Rooms.class)))
  @OpenApiDocs.ReadProblemResponses
  @Get("/v1/rooms")
  public CompletionStage<ControlViews.Rooms> rooms(
      HttpRequest<?> request,
      @Parameter(description = "start of the room names, e.g. team: (empty or absent: all)")
          @Nullable
          @QueryValue
          String prefix,
      @Parameter(description = "the next of the previous page (opaque)") @Nullable @QueryValue
          String cursor,
      @Parameter(description = "1 to 1000, default 100") @Nullable @QueryValue String limit) {
    return admitted(request, NO_BODY, () -> control.rooms(prefix, cursor, limit));
  }

  @Operation(
      summary = "Remove a user from a room on every gateway; tokens issued before cannot rejoin it",
      requestBody =
          @RequestBody(
              required = true,
              content =
                  @Content(schema = @Schema(implementation = OpenApiDocs.UnsubscribeBody.class))))
  @ApiResponse(responseCode = "202", description = "recorded; every gateway applies it within 1 s")
  @OpenApiDocs.ControlProblemResponses
  @Post("/v1/rooms/{room}/unsubscribe")
  public CompletionStage<HttpResponse<Void>> unsubscribe(
      HttpRequest<?> request,
      @Parameter(description = "room <kind>:<id>", example = "team:42") @PathVariable String room,
      @Nullable @Body String body) {
    return admitted(request, bytes(body), () -> control.unsubscribe(room, body))
        .thenApply(at -> HttpResponse.status(HttpStatus.ACCEPTED));
  }

  @Operation(
      summary = "Close every connection of a user, on every gateway, with the given code",
      requestBody =
          @RequestBody(
              required = false,
              content =
                  @Content(schema = @Schema(implementation = OpenApiDocs.DisconnectBody.class))))
  @ApiResponse(responseCode = "202", description = "recorded; every gateway applies it within 1 s")
  @OpenApiDocs.ControlProblemResponses
  @Post("/v1/users/{sub}/disconnect")
  public CompletionStage<HttpResponse<Void>> disconnect(
      HttpRequest<?> request,
      @Parameter(description = "the user (token sub)", example = "acct-123") @PathVariable
          String sub,
      @Nullable @Body String body) {
    return admitted(request, bytes(body), () -> control.disconnect(sub, body))
        .thenApply(at -> HttpResponse.status(HttpStatus.ACCEPTED));
  }

  private <T> CompletionStage<T> admitted(
      HttpRequest<?> request, byte[] body, Supplier<CompletionStage<T>> call) {
    HttpHeaders headers = request.getHeaders();
    try {
      ReadCredentials.require(
          authenticator,
          headers.get(HttpHeaders.AUTHORIZATION),
          headers.get(PublishController.SIGNATURE),
          body);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.get();
  }

  private static byte[] bytes(String body) {
    return body == null ? NO_BODY : body.getBytes(StandardCharsets.UTF_8);
  }
}
