package dev.relay.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.revocation.RevocationStore;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.PresenceDirectory;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.StorePresenceDirectory;
import dev.relay.service.http.Problem;
import dev.relay.service.http.ProblemException;
import dev.relay.service.logging.InstanceId;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's admin API (SPEC §8), behind {@code Authorization: Bearer <ADMIN_API_KEY>}; off
 * (404) when {@code ADMIN_API_KEY} is not set. Room and connection listings are this instance's;
 * members come from the shared presence store; a revocation reaches every instance.
 */
@Controller("/admin")
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class AdminController {

  /** A room and how many of this instance's connections are in it. */
  @Serdeable
  public record RoomSummary(String room, int connections) {}

  @Serdeable
  public record Rooms(
      String instanceId,
      @Schema(
              description = "rooms with at least one connection on this instance",
              requiredMode = Schema.RequiredMode.REQUIRED)
          int rooms,
      @Schema(
              description = "the largest rooms first, at most 1000",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<RoomSummary> top) {}

  @Serdeable
  public record Connection(
      @Schema(
              description = "the id DELETE /admin/connections/{id} takes",
              requiredMode = Schema.RequiredMode.REQUIRED)
          String id,
      String sub) {}

  /** A member with its presence {@code info} and {@code state} (SPEC §11), null when none. */
  @Serdeable
  public record Member(
      String sub,
      Instant joinedAt,
      @Nullable
          @Schema(
              type = "object",
              nullable = true,
              description = "the token's info claim of the user's latest connection to join")
          Map<String, Object> info,
      @Nullable
          @Schema(
              type = "object",
              nullable = true,
              description = "the last state the user set with presence.set")
          Map<String, Object> state) {}

  @Serdeable
  public record RoomDetail(
      String room,
      String instanceId,
      @Schema(
              description = "this instance's connections in the room",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<Connection> connections,
      @Schema(
              description = "members on every instance (presence store)",
              requiredMode = Schema.RequiredMode.REQUIRED)
          List<Member> members) {}

  @Serdeable
  @Schema(requiredProperties = {"jti", "exp"})
  public record Revocation(
      @Schema(description = "the token's jti", maxLength = 256) String jti,
      @Schema(description = "the token's exp, Unix seconds; the entry is kept until then")
          Long exp) {}

  @Serdeable
  public record Revoked(
      String jti,
      @Schema(
              description = "false when the jti was already revoked",
              requiredMode = Schema.RequiredMode.REQUIRED)
          boolean stored) {}

  private final AdminKey key;
  private final Hub hub;
  private final SessionRegistry sessions;
  private final PresenceDirectory presence;
  private final RevocationStore revocations;

  public AdminController(
      AdminKey key,
      Hub hub,
      SessionRegistry sessions,
      StorePresenceDirectory presence,
      RevocationStore revocations) {
    this.key = key;
    this.hub = hub;
    this.sessions = sessions;
    this.presence = presence;
    this.revocations = revocations;
  }

  @Get("/rooms")
  @Operation(summary = "Rooms with connections on this instance, largest first")
  @AdminApiDocs.AdminProblems
  Rooms rooms(@Nullable @Header("Authorization") String authorization) {
    authorize(authorization);
    List<RoomSummary> top =
        hub.roomSizes().entrySet().stream()
            .map(e -> new RoomSummary(e.getKey(), e.getValue()))
            .sorted(Comparator.comparingInt(RoomSummary::connections).reversed())
            .limit(1000)
            .toList();
    return new Rooms(InstanceId.current(), hub.roomCount(), top);
  }

  @Get("/rooms/{room}")
  @Operation(summary = "One room: this instance's connections and the members on every instance")
  @AdminApiDocs.AdminProblems
  CompletionStage<RoomDetail> room(
      @Nullable @Header("Authorization") String authorization,
      @Parameter(description = "room name <kind>:<id>", example = "team:42") @PathVariable
          String room) {
    authorize(authorization);
    List<Connection> connections =
        hub.members(room).stream()
            .filter(ClientSession.class::isInstance)
            .map(ClientSession.class::cast)
            .map(s -> new Connection(s.id(), s.sub()))
            .toList();
    return presence
        .members(room)
        .thenApply(
            members ->
                new RoomDetail(
                    room,
                    InstanceId.current(),
                    connections,
                    members.stream()
                        .map(
                            m ->
                                new Member(
                                    m.sub(), m.joinedAt(), object(m.info()), object(m.state())))
                        .toList()));
  }

  @Delete("/connections/{id}")
  @Operation(summary = "Close a connection of this instance with 4003 (forbidden)")
  @ApiResponse(responseCode = "204", description = "the connection is being closed")
  @ApiResponse(
      responseCode = "404",
      description =
          "not_found: no such connection on this instance, or the admin API is off (no"
              + " ADMIN_API_KEY)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  HttpResponse<Void> disconnect(
      @Nullable @Header("Authorization") String authorization, @PathVariable String id) {
    authorize(authorization);
    SessionRegistry.Entry entry =
        sessions
            .find(id)
            .orElseThrow(
                () ->
                    new ProblemException(
                        404, ErrorCodes.NOT_FOUND, "no such connection on this instance", null, 0));
    entry
        .channel()
        .executor()
        .execute(() -> entry.channel().close(CloseCodes.FORBIDDEN, "forbidden"));
    return HttpResponse.noContent();
  }

  @Post("/revocations")
  @Operation(
      summary =
          "Revoke a token's jti on every instance: new connections with it are refused, live ones"
              + " closed")
  @ApiResponse(
      responseCode = "202",
      description = "stored; every instance applies it",
      content = @Content(schema = @Schema(implementation = Revoked.class)))
  @ApiResponse(
      responseCode = "400",
      description = "invalid_request: jti or exp missing or invalid (names the field)",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(implementation = Problem.class)))
  @AdminApiDocs.AdminProblems
  CompletionStage<HttpResponse<Revoked>> revoke(
      @Nullable @Header("Authorization") String authorization, @Body Revocation revocation) {
    authorize(authorization);
    if (revocation == null
        || revocation.jti() == null
        || revocation.jti().isBlank()
        || revocation.jti().length() > 256) {
      throw ProblemException.invalid("jti", "jti is required (at most 256 characters)");
    }
    if (revocation.exp() == null || revocation.exp() <= 0) {
      throw ProblemException.invalid("exp", "exp is required: the token's expiry in Unix seconds");
    }
    return revocations
        .revoke(revocation.jti(), Instant.ofEpochSecond(revocation.exp()))
        .thenApply(
            stored ->
                HttpResponse.<Revoked>status(HttpStatus.ACCEPTED)
                    .body(new Revoked(revocation.jti(), stored)));
  }

  private void authorize(String authorization) {
    key.authorize(authorization);
  }

  private static final ObjectMapper OBJECTS = new ObjectMapper();

  /** A stored compact JSON object as a map; null when absent or unreadable. */
  private static Map<String, Object> object(String json) {
    if (json == null) {
      return null;
    }
    try {
      return OBJECTS.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
