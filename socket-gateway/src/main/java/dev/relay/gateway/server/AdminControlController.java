package dev.relay.gateway.server;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.EventLog;
import dev.relay.engine.History;
import dev.relay.service.control.ControlRequests;
import dev.relay.service.control.ControlViews;
import dev.relay.service.control.ServerControl;
import dev.relay.service.http.Problem;
import dev.relay.service.http.ProblemException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cluster-wide part of the admin API (SPEC §8, §11), behind the admin key like {@link
 * AdminController}: occupied rooms of every gateway, a room's last events, and the server-side
 * control of publish-api ({@link ServerControl}: same rules, same effect on every gateway).
 */
@Controller("/admin")
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class AdminControlController {

  /** The most events {@code GET /admin/rooms/{room}/events} returns. */
  static final int MAX_EVENTS = EventLog.HISTORY_MAX;

  static final int DEFAULT_EVENTS = 20;

  /** The answer of {@code GET /admin/rooms/{room}/events}. */
  @Schema(name = "AdminRoomEvents", requiredProperties = "events")
  record Events(
      @Schema(description = "envelopes v1 (SPEC §3), newest first")
          List<Map<String, Object>> events) {}

  /** The body of the unsubscribe action. */
  @Schema(name = "AdminUnsubscribe", requiredProperties = "sub")
  record UnsubscribeBody(@Schema(description = "the user to remove", maxLength = 256) String sub) {}

  /** The body of the disconnect action (optional). */
  @Schema(name = "AdminDisconnect")
  record DisconnectBody(
      @Schema(
              description = "close code, 4000 to 4999; default 4003",
              minimum = "4000",
              maximum = "4999")
          Integer code) {}

  private final AdminKey key;
  private final ServerControl control;
  private final EventLog log;

  public AdminControlController(AdminKey key, ServerControl control, EventLog log) {
    this.key = key;
    this.control = control;
    this.log = log;
  }

  @Get("/cluster/rooms")
  @Operation(
      summary =
          "Occupied rooms on every gateway with their member counts, in name order, paginated")
  @ApiResponse(
      responseCode = "200",
      description = "next is the cursor of the following page, null on the last",
      content = @Content(schema = @Schema(implementation = ControlViews.Rooms.class)))
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request naming the field (prefix, cursor, limit)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  CompletionStage<ControlViews.Rooms> clusterRooms(
      @Nullable @Header("Authorization") String authorization,
      @Parameter(description = "start of the room names, e.g. team: (empty for all)")
          @Nullable
          @QueryValue
          String prefix,
      @Parameter(description = "the next of the previous page") @Nullable @QueryValue String cursor,
      @Parameter(description = "1 to 1000, default 100") @Nullable @QueryValue String limit) {
    key.authorize(authorization);
    return control.rooms(prefix, cursor, limit);
  }

  @Get(value = "/rooms/{room}/events", produces = MediaType.APPLICATION_JSON)
  @Operation(summary = "A room's last stored events, newest first")
  @ApiResponse(
      responseCode = "200",
      description = "newest first, at most limit",
      content = @Content(schema = @Schema(implementation = Events.class)))
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request naming the field (room, limit)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  CompletionStage<HttpResponse<String>> events(
      @Nullable @Header("Authorization") String authorization,
      @Parameter(description = "room name <kind>:<id>", example = "team:42") @PathVariable
          String room,
      @Parameter(description = "1 to 100, default 20") @Nullable @QueryValue String limit) {
    key.authorize(authorization);
    String name = ControlRequests.room(room);
    int count = ControlRequests.limit(limit, DEFAULT_EVENTS, MAX_EVENTS);
    CompletableFuture<HttpResponse<String>> answer = new CompletableFuture<>();
    log.history(name, count, null)
        .whenComplete(
            (page, failure) -> {
              if (failure == null) {
                answer.complete(
                    HttpResponse.ok(body(page)).contentType(MediaType.APPLICATION_JSON_TYPE));
              } else {
                answer.completeExceptionally(
                    new ProblemException(
                        503, ErrorCodes.UNAVAILABLE, "the event store is unreachable", null, 1));
              }
            });
    return answer;
  }

  @Post("/rooms/{room}/unsubscribe")
  @Operation(
      summary = "Remove a user from a room on every gateway; tokens issued before cannot rejoin it",
      requestBody =
          @RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = UnsubscribeBody.class))))
  @ApiResponse(responseCode = "202", description = "recorded; every gateway applies it within 1 s")
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request naming the field (room, sub, body)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  CompletionStage<HttpResponse<Void>> unsubscribe(
      @Nullable @Header("Authorization") String authorization,
      @Parameter(description = "room name <kind>:<id>", example = "team:42") @PathVariable
          String room,
      @Nullable @Body String body) {
    key.authorize(authorization);
    return control
        .unsubscribe(room, body)
        .thenApply(at -> HttpResponse.status(HttpStatus.ACCEPTED));
  }

  @Post("/users/{sub}/disconnect")
  @Operation(
      summary = "Close every connection of a user, on every gateway, with the given code",
      requestBody =
          @RequestBody(
              required = false,
              content = @Content(schema = @Schema(implementation = DisconnectBody.class))))
  @ApiResponse(responseCode = "202", description = "recorded; every gateway applies it within 1 s")
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request naming the field (sub, code, body)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  CompletionStage<HttpResponse<Void>> disconnect(
      @Nullable @Header("Authorization") String authorization,
      @Parameter(description = "the user (token sub)") @PathVariable String sub,
      @Nullable @Body String body) {
    key.authorize(authorization);
    return control.disconnect(sub, body).thenApply(at -> HttpResponse.status(HttpStatus.ACCEPTED));
  }

  private static String body(History page) {
    StringBuilder out = new StringBuilder("{\"events\":[");
    for (int i = 0; i < page.events().size(); i++) {
      out.append(i == 0 ? "" : ",").append(page.events().get(i).envelopeJson());
    }
    return out.append("]}").toString();
  }
}
