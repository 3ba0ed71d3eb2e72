package dev.relay.gateway.session;

import dev.relay.contracts.EventId;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of one room on subscribe with {@code since} (SPEC §7). The room is already joined; its
 * live events are buffered while the replay is read, then the reply, the replayed events not yet
 * delivered on this connection, and the buffered events not already replayed are sent, in that
 * order. So the client sees every event after {@code since} once and in order, or {@code
 * recovered:false} with the live events after the reply. Runs on the session's executor.
 */
final class RoomRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(RoomRecovery.class);

  private RoomRecovery() {}

  static void run(
      ClientSession session,
      String room,
      RoomState state,
      EventId since,
      Reply<ClientSession.Subscribed> reply) {
    state.buffer = new ArrayList<>();
    SessionServices services = session.services();
    services
        .log()
        .replay(room, since, services.limits().maxReplayEvents())
        .whenCompleteAsync(
            (replay, failure) -> {
              if (!session.holds(room, state)) {
                return;
              }
              List<Delivery> buffered = state.buffer;
              state.buffer = null;
              boolean recovered = failure == null && replay.recovered();
              if (!recovered) {
                LOG.debug(
                    "recovery of {} on {}: {}",
                    room,
                    session.id(),
                    failure != null ? failure.toString() : replay.outcome());
              }
              reply.ok(new ClientSession.Subscribed(room, recovered));
              EventId lastReplayed = recovered ? sendReplay(session, state, replay) : null;
              if (recovered) {
                state.recoveredAfter(since);
              }
              for (Delivery d : buffered) {
                StoredEvent e = d.event();
                boolean replayedAlready =
                    lastReplayed != null
                        && !e.volatileEvent()
                        && e.id().compareTo(lastReplayed) <= 0;
                if (!replayedAlready) {
                  session.receive(d);
                }
              }
            },
            session.executor());
  }

  /** Sends replayed events not already delivered; returns the last replayed id or null. */
  private static EventId sendReplay(ClientSession session, RoomState state, Replay replay) {
    EventId last = null;
    for (StoredEvent e : replay.events()) {
      last = e.id();
      if (!state.delivered(e.id())) {
        session.channel().sendEvent(new Delivery(e));
      }
    }
    return last;
  }
}
