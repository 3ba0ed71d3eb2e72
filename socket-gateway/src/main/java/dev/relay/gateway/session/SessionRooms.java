package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.gateway.hub.Delivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The rooms of one {@link ClientSession}, each with its {@link RoomState}: when its follow
 * answered, the deliveries held until the client was answered (in arrival order across rooms), its
 * position, and the connection's resume offset built from them. Confined to the session's executor.
 */
final class SessionRooms {

  /**
   * How long a subscribe or a connection waits for its rooms' follows before it is answered {@code
   * unavailable}: a store that neither answers nor fails must not leave a client hanging.
   */
  static final long FOLLOW_WAIT_SECONDS = 10;

  /** Stands for the start of a room whose follow answered earlier (its position has it). */
  private static final CompletableFuture<EventId> FOLLOWED =
      CompletableFuture.completedFuture(null);

  private final Map<String, RoomState> byName = new HashMap<>(4);
  private long arrivals;

  RoomState get(String room) {
    return byName.get(room);
  }

  boolean containsKey(String room) {
    return byName.containsKey(room);
  }

  void put(String room, RoomState state) {
    byName.put(room, state);
  }

  void remove(String room) {
    byName.remove(room);
  }

  /**
   * The names of the rooms, a copy in no particular order. Read with {@code forEach}: the map's key
   * and entry views would stay cached in it, per connection (#17, idle heap per connection).
   */
  List<String> names() {
    List<String> names = new ArrayList<>(byName.size());
    byName.forEach((name, state) -> names.add(name));
    return names;
  }

  /** True when the state of some room matches. */
  boolean any(Predicate<RoomState> match) {
    boolean[] found = {false};
    byName.forEach((name, state) -> found[0] |= match.test(state));
    return found[0];
  }

  int size() {
    return byName.size();
  }

  /**
   * Completes on {@code executor} once every room of {@code names} has its start position, which
   * then becomes its position (for the rooms {@code holds} still); fails with the first follow's
   * failure, or after {@value #FOLLOW_WAIT_SECONDS} s without an answer.
   */
  CompletionStage<Void> followed(
      List<String> names, Executor executor, BiPredicate<String, RoomState> holds) {
    List<RoomState> states = new ArrayList<>(names.size());
    List<CompletableFuture<EventId>> starts = new ArrayList<>(names.size());
    for (String room : names) {
      RoomState state = byName.get(room);
      states.add(state);
      starts.add(state.start == null ? FOLLOWED : state.start);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new))
        .orTimeout(FOLLOW_WAIT_SECONDS, TimeUnit.SECONDS)
        .whenCompleteAsync(
            (ok, failure) -> {
              for (int i = 0; i < names.size(); i++) {
                CompletableFuture<EventId> start = starts.get(i);
                if (holds.test(names.get(i), states.get(i))
                    && start.isDone()
                    && !start.isCompletedExceptionally()
                    && start != FOLLOWED) {
                  states.get(i).advance(start.join());
                  states.get(i).start = null; // its answer is in the position now
                }
              }
              if (failure != null) {
                done.completeExceptionally(failure);
              } else {
                done.complete(null);
              }
            },
            executor);
    return done;
  }

  /** Holds {@code delivery} if its room is held; false when it is to be delivered now. */
  boolean hold(RoomState state, Delivery delivery) {
    if (state.buffer == null) {
      return false;
    }
    state.buffer.add(new Recovery.Sequenced(arrivals++, delivery));
    return true;
  }

  /** The rooms held and not being recovered, {@code room} only when it is not null. */
  List<String> held(String room) {
    List<String> names = new ArrayList<>();
    byName.forEach(
        (name, state) -> {
          if ((room == null || room.equals(name)) && state.buffer != null && !state.recovering) {
            names.add(name);
          }
        });
    return names;
  }

  /** Ends the hold of {@code names} and answers what they held, in arrival order. */
  List<Recovery.Sequenced> release(List<String> names) {
    List<Recovery.Sequenced> held = new ArrayList<>();
    for (String name : names) {
      RoomState state = byName.get(name);
      if (state != null && state.buffer != null) {
        held.addAll(state.buffer);
        state.buffer = null;
      }
    }
    held.sort(Comparator.comparingLong(Recovery.Sequenced::sequence));
    return held;
  }

  /**
   * The connection's resume offset ({@link ResumeOffset}): every room with its position; rooms
   * still waiting for their start position are left out (a resume then answers {@code
   * recovered:false}).
   */
  String offset() {
    Map<String, EventId> positions = new TreeMap<>();
    byName.forEach(
        (name, state) -> {
          if (state.position != null) {
            positions.put(state.offsetKey, state.position);
          }
        });
    return ResumeOffset.encode(positions);
  }

  /** True when the only room is {@code delivery}'s and its position is the event's id. */
  boolean offsetIsEventOnly(Delivery delivery) {
    if (byName.size() != 1) {
      return false;
    }
    RoomState state = byName.get(delivery.event().room());
    return state != null && delivery.event().id().equals(state.position);
  }

  /** The position of a room (see {@link RoomState}), or null. */
  EventId position(String room) {
    RoomState state = byName.get(room);
    return state == null ? null : state.position;
  }
}
