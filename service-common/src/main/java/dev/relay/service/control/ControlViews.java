package dev.relay.service.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The answers of server-side control reads (SPEC §11), shared by publish-api and the admin API. */
public final class ControlViews {

  private ControlViews() {}

  /**
   * A present user: {@code info} (token claim) and {@code state} (presence.set), null when none.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Member(
      String sub,
      Instant joinedAt,
      @Nullable Map<String, Object> info,
      @Nullable Map<String, Object> state) {}

  /** {@code GET /v1/rooms/{room}/presence}: every present user, on every gateway. */
  @Serdeable
  public record Members(List<Member> members) {}

  /** An occupied room and its number of present users. */
  @Serdeable
  public record RoomCount(String room, int members) {}

  /**
   * {@code GET /v1/rooms} and {@code GET /admin/cluster/rooms}: rooms in name order; {@code next}
   * is the cursor of the following page, null on the last.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Rooms(List<RoomCount> rooms, @Nullable String next) {}
}
