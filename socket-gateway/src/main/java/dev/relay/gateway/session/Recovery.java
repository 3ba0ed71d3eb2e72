package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.stream.OpenMessages;
import dev.relay.gateway.hub.Delivery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one recovery algorithm of both protocols (SPEC §7): JSON {@code subscribe} with {@code since}
 * recovers one room, Socket.IO's {@code pid}/{@code offset} every room of the connection. A {@code
 * subscribe} with {@code history} (SPEC §11, {@link #runWithHistory}) takes the same steps with the
 * room's last stored events in place of the replay when {@code since} cannot be recovered.
 *
 * <p>Steps, all on the session's executor:
 *
 * <ol>
 *   <li>The rooms are already joined and followed (each has its start position). Their live
 *       deliveries are buffered (per room, remembering their arrival order across rooms) instead of
 *       sent; a room still held since its join keeps what it buffered.
 *   <li>Each room is replayed from its {@code since}.
 *   <li>When every replay is read, the rooms' open streamed messages are read ({@link Snapshots}).
 *   <li>Then: {@link Plan#answer} with {@code recovered} (every room provably complete, no
 *       failure). If recovered, the replayed events the plan keeps and this connection has not yet
 *       delivered go to {@link Plan#replayed}, room by room, each room in id order (ids of
 *       different rooms are not comparable); each room counts as delivered after its {@code since},
 *       and its position moves forward to {@code since} and to each replayed event.
 *   <li>One {@code message.snapshot} per open message of each room, which sets the room's delta
 *       floor (a session whose open messages could not be read is closed with 1001 instead).
 *   <li>The buffered deliveries follow in arrival order, except those deltas the snapshots hold,
 *       those the plan skips, those at or before the room's position before the recovery
 *       (delivered, or before its start), and those already replayed (a non-volatile event at or
 *       before its room's last replayed id).
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

    /**
     * As {@link #answer(boolean)}, with the number of events that will be sent before live ones.
     */
    default void answer(boolean recovered, int sent) {
      answer(recovered);
    }

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
    List<String> rooms = new ArrayList<>(sinceByRoom.keySet());
    Map<String, RoomState> states = hold(session, rooms);
    List<CompletableFuture<Replay>> replays = new ArrayList<>();
    int max = session.services().limits().maxReplayEvents();
    for (String room : rooms) {
      replays.add(
          session.services().log().replay(room, sinceByRoom.get(room), max).toCompletableFuture());
    }
    thenSnapshots(
            session, rooms, CompletableFuture.allOf(replays.toArray(CompletableFuture[]::new)))
        .thenAcceptAsync(
            read ->
                finish(
                    session,
                    rooms,
                    states,
                    plan,
                    read,
                    () -> replayed(session, rooms, replays, sinceByRoom)),
            session.executor());
  }

  /**
   * Once {@code reads} completed (or failed), reads the rooms' open streamed messages: after the
   * replay or history, so the snapshot is at or after every event they sent (see {@link
   * Snapshots}).
   */
  private static CompletableFuture<Reads> thenSnapshots(
      ClientSession session, List<String> rooms, CompletableFuture<Void> reads) {
    return reads
        .handle((done, failure) -> failure)
        .thenCompose(
            failure ->
                Snapshots.read(session.services().log(), rooms)
                    .handle((open, snapshotFailure) -> new Reads(failure, open)));
  }

  /** The outcome of the reads: their failure (or null), the open messages (null if unread). */
  private record Reads(Throwable failure, Map<String, OpenMessages> open) {}

  /**
   * A {@code subscribe} with {@code history} (SPEC §11), on a room the session is in: with {@code
   * since} (nullable) the room is recovered as by {@link #run} when it can be; otherwise the answer
   * is {@code recovered:false} and the room's last {@code history} stored events ({@link
   * dev.relay.engine.EventLog#history}) take the place of the replayed ones, oldest first, with the
   * same rules: those this connection already delivered are left out, and the held live deliveries
   * follow without repeating any. {@link Plan#answer(boolean, int)} gets the count sent.
   */
  static void runWithHistory(
      ClientSession session, String room, EventId since, int history, Plan plan) {
    List<String> rooms = List.of(room);
    Map<String, RoomState> states = hold(session, rooms);
    int max = session.services().limits().maxReplayEvents();
    CompletableFuture<Replay> replay =
        since == null
            ? CompletableFuture.completedFuture(Replay.refused(Replay.Outcome.EPOCH_CHANGED))
            : session.services().log().replay(room, since, max).toCompletableFuture();
    CompletableFuture<History> last =
        session.services().log().history(room, history, null).toCompletableFuture();
    thenSnapshots(session, rooms, CompletableFuture.allOf(replay, last))
        .thenAcceptAsync(
            read ->
                finish(
                    session,
                    rooms,
                    states,
                    plan,
                    read,
                    () -> {
                      if (since != null && replay.join().recovered()) {
                        return replayed(session, rooms, List.of(replay), Map.of(room, since));
                      }
                      List<StoredEvent> oldestFirst = new ArrayList<>(last.join().events());
                      Collections.reverse(oldestFirst);
                      return new Outcome(false, Map.of(room, oldestFirst), Map.of());
                    }),
            session.executor());
  }

  /** What the reads gave: the answer, and per room the events to send (none when null). */
  private record Outcome(
      boolean recovered, Map<String, List<StoredEvent>> events, Map<String, EventId> since) {}

  private static Map<String, RoomState> hold(ClientSession session, List<String> rooms) {
    Map<String, RoomState> states = new HashMap<>();
    for (String room : rooms) {
      RoomState state = session.state(room);
      if (state.buffer == null) {
        state.buffer = new ArrayList<>();
      }
      state.recovering = true;
      states.put(room, state);
    }
    return states;
  }

  private static Outcome replayed(
      ClientSession session,
      List<String> rooms,
      List<CompletableFuture<Replay>> replays,
      Map<String, EventId> sinceByRoom) {
    Map<String, List<StoredEvent>> events = new HashMap<>();
    for (int i = 0; i < rooms.size(); i++) {
      Replay replay = replays.get(i).join();
      if (!replay.recovered()) {
        LOG.debug("recovery of {} on {}: {}", rooms.get(i), session.id(), replay.outcome());
        return new Outcome(false, null, Map.of());
      }
      events.put(rooms.get(i), replay.events());
    }
    return new Outcome(true, events, sinceByRoom);
  }

  private static void finish(
      ClientSession session,
      List<String> rooms,
      Map<String, RoomState> states,
      Plan plan,
      Reads read,
      Supplier<Outcome> reads) {
    Throwable failure = read.failure();
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
    Outcome outcome = failure == null ? reads.get() : new Outcome(false, null, Map.of());
    if (failure != null) {
      LOG.debug("recovery on {} failed: {}", session.id(), failure.toString());
    }
    Map<String, List<StoredEvent>> events = new HashMap<>();
    Map<String, EventId> lastReplayed = new HashMap<>();
    int sent = 0;
    for (String room : outcome.events() == null ? List.<String>of() : rooms) {
      List<StoredEvent> kept = new ArrayList<>();
      for (StoredEvent e : outcome.events().get(room)) {
        lastReplayed.put(e.room(), e.id());
        if (plan.keep(e) && !states.get(e.room()).delivered(e.id())) {
          kept.add(e);
        }
      }
      sent += kept.size();
      events.put(room, kept);
    }
    plan.answer(outcome.recovered(), sent);
    for (String room : rooms) {
      if (!events.containsKey(room)) {
        continue;
      }
      RoomState state = states.get(room);
      EventId since = outcome.since().get(room);
      if (since != null) {
        state.recoveredAfter(since);
        state.advance(since);
      }
      for (StoredEvent e : events.get(room)) {
        state.advance(e.id());
        plan.replayed(e);
      }
    }
    if (read.open() == null) {
      LOG.debug("open messages unreadable on {}: closing so the client recovers", session.id());
      session.channel().close(CloseCodes.GOING_AWAY, "stream state unavailable");
      return;
    }
    for (String room : rooms) {
      Snapshots.send(session, room, states.get(room), read.open().get(room));
    }
    buffered.sort(Comparator.comparingLong(Sequenced::sequence));
    for (Sequenced s : buffered) {
      Delivery d = s.delivery();
      StoredEvent e = d.event();
      EventId last = lastReplayed.get(e.room());
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
