package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resumes every room of a connection from a resume offset V ({@link ResumeOffset}: Socket.IO's
 * {@code offset}, SSE's {@code Last-Event-ID}), on any gateway. Per room, V holds the id of the
 * last event the client received there (or its start position), so the client has every event of
 * the room at or before it and none after it.
 *
 * <p>The session has joined its rooms and they are followed: each room has its live start position
 * D (every event after D reaches the session live). Per room, the shared {@link Recovery} replays
 * from V and keeps the events at or before D (later ones arrive live), room by room in id order;
 * then the buffered live events follow, except those at or before V or D. Each replayed event
 * carries the offset with its room advanced to it; once answered, each room's position is the later
 * of V and D and moves on with each delivery, so an offset never goes back and a second resume
 * never repeats an event.
 *
 * <p>Conservative: a room of the session without an entry in V, or whose entry is of another epoch
 * than D (the room's stream was lost since), makes the whole resume {@code recovered:false}.
 */
public final class OffsetRecovery {

  /** How the protocol writes the outcome. Called on the session's executor. */
  public interface Writer {

    /** Once, first. */
    void answer(boolean recovered);

    /** A replayed event and the offset the client may resume from after it. */
    void replayed(Delivery delivery, String offset);
  }

  private OffsetRecovery() {}

  /**
   * Starts the recovery of every room of {@code session} from {@code v}. Call once {@link
   * ClientSession#followed} completed.
   *
   * @return false, with nothing started, when a room has no position in {@code v} (or one of
   *     another epoch than its start position)
   */
  public static boolean start(ClientSession session, ResumeOffset v, Writer writer) {
    Map<String, EventId> since = new HashMap<>();
    Map<String, EventId> start = new HashMap<>();
    Map<String, EventId> resume = new TreeMap<>();
    for (String room : session.rooms()) {
      EventId position = v.position(room);
      EventId d = session.position(room);
      if (position == null || d == null || !position.epoch().equals(d.epoch())) {
        return false;
      }
      since.put(room, position);
      start.put(room, d);
      resume.put(session.state(room).offsetKey, position);
    }
    Recovery.run(
        session,
        since,
        new Recovery.Plan() {
          @Override
          public boolean keep(StoredEvent e) {
            EventId d = start.get(e.room());
            return d.epoch().equals(e.id().epoch()) && e.id().compareTo(d) <= 0;
          }

          @Override
          public void answer(boolean recovered) {
            writer.answer(recovered);
          }

          @Override
          public void replayed(StoredEvent e) {
            resume.put(session.state(e.room()).offsetKey, e.id());
            writer.replayed(new Delivery(e), ResumeOffset.encode(resume));
          }

          @Override
          public boolean skip(Delivery delivery) {
            StoredEvent e = delivery.event();
            EventId from = since.get(e.room());
            return from != null
                && from.epoch().equals(e.id().epoch())
                && e.id().compareTo(from) <= 0;
          }
        });
    return true;
  }
}
