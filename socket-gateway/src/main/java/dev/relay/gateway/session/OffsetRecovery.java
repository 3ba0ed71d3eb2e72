package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.StreamVector;
import java.util.HashMap;
import java.util.Map;

/**
 * Resumes every room of a connection from a resume offset V ({@link ResumeOffset}: Socket.IO's
 * {@code offset}, SSE's {@code Last-Event-ID}), on any gateway. V is the vector of consumer
 * positions right after the last event the client received, so the client has every event of its
 * rooms at or before V and none after it.
 *
 * <p>The session has joined its rooms; {@link #start} then reads this gateway's dispatch positions
 * D (every event after D reaches the session: the hub publishes D before it reads members) and runs
 * the shared {@link Recovery}: each room replayed from V at its partition, keeping events at or
 * before D (later ones arrive live) in id order; then the buffered live events except those at or
 * before V or D. Each replayed event carries V advanced to it as its offset; live events carry at
 * least max(V, D) until this gateway's positions pass it ({@link Floor}), so an offset never goes
 * back and a second resume never repeats an event.
 */
public final class OffsetRecovery {

  /** How the protocol writes the outcome. Called on the session's executor. */
  public interface Writer {

    /** Once, first; when {@code recovered}, live events use {@code floor} (see {@link Floor}). */
    void answer(boolean recovered, StreamVector floor);

    /** A replayed event and the offset the client may resume from after it. */
    void replayed(Delivery delivery, StreamVector offset);
  }

  private OffsetRecovery() {}

  /**
   * Starts the recovery of every room of {@code session} from {@code v}.
   *
   * @return false, with nothing started, when a room's partition has no position in {@code v}
   */
  public static boolean start(
      ClientSession session, RedisKeyLayout layout, StreamVector v, Writer writer) {
    StreamVector d = session.services().hub().positions();
    Map<String, EventId> since = new HashMap<>();
    for (String room : session.rooms()) {
      EventId position = v.position(layout.partitionOf(room));
      if (position == null || d == null) {
        return false;
      }
      since.put(room, position);
    }
    Recovery.run(
        session,
        since,
        new Recovery.Plan() {
          private StreamVector resume = v;

          @Override
          public boolean keep(StoredEvent e) {
            return ResumeOffset.covers(d, e.partition(), e.id());
          }

          @Override
          public void answer(boolean recovered) {
            writer.answer(recovered, ResumeOffset.max(v, d));
          }

          @Override
          public void replayed(StoredEvent e) {
            resume = resume.with(e.partition(), e.id());
            writer.replayed(new Delivery(e), resume);
          }

          @Override
          public boolean skip(Delivery delivery) {
            StoredEvent e = delivery.event();
            return ResumeOffset.covers(v, e.partition(), e.id())
                || ResumeOffset.covers(d, e.partition(), e.id());
          }
        });
    return true;
  }

  /**
   * The lowest offset a resumed connection may hand out: until the gateway's own positions pass it,
   * live events carry {@code max(floor, positions)} instead of their positions. Confined to the
   * connection's executor.
   */
  public static final class Floor {
    private StreamVector floor;

    public void set(StreamVector floor) {
      this.floor = floor;
    }

    /** The offset for a live delivery, or null when its own positions are right. */
    public StreamVector offsetFor(Delivery delivery) {
      StreamVector positions = delivery.positions();
      if (floor == null || positions == null) {
        return null;
      }
      if (ResumeOffset.dominates(positions, floor)) {
        floor = null;
        return null;
      }
      return ResumeOffset.max(floor, positions);
    }
  }
}
