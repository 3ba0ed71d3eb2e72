package dev.relay.service.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.control.ControlStore;
import dev.relay.engine.presence.PresenceMember;
import dev.relay.engine.presence.PresenceStore;
import dev.relay.engine.presence.RoomPage;
import dev.relay.service.control.ControlViews.Member;
import dev.relay.service.control.ControlViews.Members;
import dev.relay.service.control.ControlViews.RoomCount;
import dev.relay.service.control.ControlViews.Rooms;
import dev.relay.service.http.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Server-side control (SPEC §11), transport-neutral: what {@code /v1/rooms…}, {@code /v1/users…}
 * and the matching admin endpoints do once the caller is authenticated. Inputs are checked by
 * {@link ControlRequests}; every refusal or store failure completes the stage with a plain {@link
 * ProblemException} (400, or 503 {@code unavailable} when the store is unreachable), never a
 * wrapper. Unsubscribe and disconnect complete once the signal is stored and published; gateways
 * apply it within about a second. Thread-safe.
 */
public final class ServerControl {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PresenceStore presence;
  private final ControlStore control;

  public ServerControl(PresenceStore presence, ControlStore control) {
    this.presence = presence;
    this.control = control;
  }

  /** Every present user of the room, on every gateway. */
  public CompletionStage<Members> members(String roomText) {
    return guarded(
        () -> presence.members(ControlRequests.room(roomText)),
        members -> new Members(members.stream().map(ServerControl::member).toList()));
  }

  /** One page of occupied rooms whose names start with {@code prefix}. */
  public CompletionStage<Rooms> rooms(String prefix, String cursor, String limit) {
    return guarded(
        () ->
            presence.rooms(
                ControlRequests.prefix(prefix),
                ControlRequests.cursor(cursor),
                ControlRequests.limit(
                    limit, ControlRequests.DEFAULT_ROOMS_LIMIT, ControlRequests.MAX_ROOMS_LIMIT)),
        ServerControl::rooms);
  }

  /** Removes {@code body.sub} from the room on every gateway; refuses older tokens afterwards. */
  public CompletionStage<Long> unsubscribe(String roomText, String body) {
    return guarded(
        () -> {
          String room = ControlRequests.room(roomText);
          return control.remove(room, ControlRequests.subOfBody(body));
        },
        at -> at);
  }

  /** Closes every connection of {@code sub} with the body's {@code code} (default 4003). */
  public CompletionStage<Long> disconnect(String subText, String body) {
    return guarded(
        () -> {
          String sub = ControlRequests.sub(subText);
          return control.disconnect(sub, ControlRequests.codeOfBody(body));
        },
        at -> at);
  }

  /** The presence store's member as the API shows it; info and state as JSON objects. */
  public static Member member(PresenceMember m) {
    return new Member(m.sub(), m.joinedAt(), object(m.info()), object(m.state()));
  }

  private static Rooms rooms(RoomPage page) {
    List<RoomCount> rooms =
        page.rooms().stream().map(r -> new RoomCount(r.room(), r.members())).toList();
    return new Rooms(rooms, page.more() ? ControlRequests.cursorAfter(page.last()) : null);
  }

  private static <T, R> CompletionStage<R> guarded(
      Supplier<CompletionStage<T>> call, Function<T, R> answer) {
    CompletableFuture<R> result = new CompletableFuture<>();
    try {
      call.get()
          .whenComplete(
              (value, failure) -> {
                if (failure == null) {
                  result.complete(answer.apply(value));
                } else {
                  result.completeExceptionally(
                      new ProblemException(
                          503,
                          ErrorCodes.UNAVAILABLE,
                          "the store is unreachable; retry shortly",
                          null,
                          1));
                }
              });
    } catch (ProblemException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private static Map<String, Object> object(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
