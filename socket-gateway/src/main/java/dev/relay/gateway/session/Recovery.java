package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one recovery algorithm of both protocols (SPEC §7): JSON {@code subscribe} with {@code since}
 * recovers one room, Socket.IO's {@code pid}/{@code offset} every room of the connection.
 *
 * <p>Steps, all on the session's executor:
 *
 * <ol>
 *   <li>The rooms are already joined and followed (each has its start position). Their live
 *       deliveries are buffered (per room, remembering their arrival order across rooms) instead of
 *       sent; a room still held since its join keeps what it buffered.
 *   <li>Each room is replayed from its {@code since}.
 *   <li>When every replay is read: {@link Plan#answer} with {@code recovered} (every room provably
 *       complete, no failure). If recovered, the replayed events the plan keeps and this connection
 *       has not yet delivered go to {@link Plan#replayed}, room by room, each room in id order (ids
 *       of different rooms are not comparable); each room counts as delivered after its {@code
 *       since}, and its position moves forward to {@code since} and to each replayed event.
 *   <li>The buffered deliveries follow in arrival order, except those the plan skips, those at or
 *       before the room's position before the recovery (delivered, or before its start), and those
 *       already replayed (a non-volatile event at or before its room's last replayed id).
 * </ol>
 *
 * So the client sees every event after {@code since} once and in order — replayed, then live — or
 * {@code recovered:false} and the live events after the answer. A recovery of rooms already
 * recovering is refused by the caller ({@link RoomState#buffer} is non-null meanwhile).
 */
public final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** What one protocol does with a recovery. Called on the session's executor. */
  public interface Plan {

    /** Whether a replayed event is sent (offset recovery keeps those up to the start position). */
    default boolean keep(StoredEvent event) {
      return true;
    }

    /** Called once, before any event, when every replay was read (or one failed). */
    void answer(boolean recovered);

    /** One replayed event, in id order; only after {@code answer(true)}. */
    void replayed(StoredEvent event);

    /** Whether a buffered live delivery is dropped because the client already has it. */
    default boolean skip(Delivery delivery) {
      return false;
    }
  }

  private Recovery() {}

  /**
   * Recovers {@code sinceByRoom} (rooms the session is in) per {@code plan}; see the class comment.
   */
  public static void run(ClientSession session, Map<String, EventId> sinceByRoom, Plan plan) {
    Map<String, RoomState> states = new HashMap<>();
    List<CompletableFuture<Replay>> replays = new ArrayList<>();
    List<String> rooms = new ArrayList<>(sinceByRoom.keySet());
    int max = session.services().limits().maxReplayEvents();
    for (String room : rooms) {
      RoomState state = session.state(room);
      if (state.buffer == null) {
        state.buffer = new ArrayList<>();
      }
      state.recovering = true;
      states.put(room, state);
      replays.add(
          session.services().log().replay(room, sinceByRoom.get(room), max).toCompletableFuture());
    }
    CompletableFuture.allOf(replays.toArray(CompletableFuture[]::new))
        .whenCompleteAsync(
            (done, failure) -> finish(session, rooms, states, replays, sinceByRoom, plan, failure),
            session.executor());
  }

  private static void finish(
      ClientSession session,
      List<String> rooms,
      Map<String, RoomState> states,
      List<CompletableFuture<Replay>> replays,
      Map<String, EventId> sinceByRoom,
      Plan plan,
      Throwable failure) {
    List<Sequenced> buffered = new ArrayList<>();
    Map<String, EventId> before = new HashMap<>();
    for (String room : rooms) {
      RoomState state = states.get(room);
      if (state.buffer != null) {
        buffered.addAll(state.buffer);
        state.buffer = null;
      }
      state.recovering = false;
      if (state.position != null) {
        before.put(room, state.position);
      }
    }
    for (String room : rooms) {
      if (!session.holds(room, states.get(room))) {
        return; // closed, or the room was left meanwhile: nothing to answer
      }
    }
    boolean recovered = failure == null;
    Map<String, List<StoredEvent>> events = new HashMap<>();
    Map<String, EventId> lastReplayed = new HashMap<>();
    for (int i = 0; recovered && i < rooms.size(); i++) {
      Replay replay = replays.get(i).join();
      if (!replay.recovered()) {
        LOG.debug("recovery of {} on {}: {}", rooms.get(i), session.id(), replay.outcome());
        recovered = false;
      } else {
        List<StoredEvent> kept = new ArrayList<>();
        for (StoredEvent e : replay.events()) {
          lastReplayed.put(e.room(), e.id());
          if (plan.keep(e) && !states.get(e.room()).delivered(e.id())) {
            kept.add(e);
          }
        }
        events.put(rooms.get(i), kept);
      }
    }
    if (failure != null) {
      LOG.debug("recovery on {} failed: {}", session.id(), failure.toString());
    }
    plan.answer(recovered);
    if (recovered) {
      for (String room : rooms) {
        RoomState state = states.get(room);
        state.recoveredAfter(sinceByRoom.get(room));
        state.advance(sinceByRoom.get(room));
        for (StoredEvent e : events.get(room)) {
          state.advance(e.id());
          plan.replayed(e);
        }
      }
    }
    buffered.sort(Comparator.comparingLong(Sequenced::sequence));
    for (Sequenced s : buffered) {
      Delivery d = s.delivery();
      StoredEvent e = d.event();
      EventId last = recovered ? lastReplayed.get(e.room()) : null;
      boolean replayedAlready = last != null && !e.volatileEvent() && e.id().compareTo(last) <= 0;
      if (replayedAlready || coveredBy(before.get(e.room()), e.id()) || plan.skip(d)) {
        continue;
      }
      if (e.volatileEvent() && states.get(e.room()).covers(e.id())) {
        session.receiveBehind(d); // never replayed, so not a repeat: sent, position unchanged
      } else {
        session.receive(d);
      }
    }
  }

  private static boolean coveredBy(EventId position, EventId id) {
    return position != null && position.epoch().equals(id.epoch()) && id.compareTo(position) <= 0;
  }

  /** A buffered delivery and its arrival order on the session, across rooms. */
  record Sequenced(long sequence, Delivery delivery) {}
}
