package dev.relay.gateway.server;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.revocation.RevocationStore;
import dev.relay.gateway.hub.Hub;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.PresenceDirectory;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.StorePresenceDirectory;
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
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
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
  public record Rooms(String instanceId, int rooms, List<RoomSummary> top) {}

  @Serdeable
  public record Connection(String id, String sub) {}

  @Serdeable
  public record Member(String sub, Instant joinedAt) {}

  @Serdeable
  public record RoomDetail(
      String room, String instanceId, List<Connection> connections, List<Member> members) {}

  @Serdeable
  public record Revocation(String jti, Long exp) {}

  @Serdeable
  public record Revoked(String jti, boolean stored) {}

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
  CompletionStage<RoomDetail> room(
      @Nullable @Header("Authorization") String authorization, @PathVariable String room) {
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
                    members.stream().map(m -> new Member(m.sub(), m.joinedAt())).toList()));
  }

  @Delete("/connections/{id}")
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
}
