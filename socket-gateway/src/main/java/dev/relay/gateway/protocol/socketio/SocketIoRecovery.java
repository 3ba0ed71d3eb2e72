package dev.relay.gateway.protocol.socketio;

import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.StreamVector;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.Recovery;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO connection state recovery for one reconnecting client ({@code pid} + {@code offset} in
 * its CONNECT), on any gateway instance.
 *
 * <p>The offset is the vector V of the consumer positions right after the last event the client
 * received, so the client has every event of its rooms at or before V and none after it. Steps, on
 * the connection's executor:
 *
 * <ol>
 *   <li>Take the pid's record (same {@code sub}), join the new token's rooms and the recorded
 *       requested rooms, then read this gateway's dispatch positions D. Every event after D reaches
 *       the session (the hub publishes D before it reads members).
 *   <li>The shared {@link Recovery} buffers the rooms' live events and replays every room from V at
 *       its partition; this plan keeps only events at or before D (later ones arrive live), in id
 *       order (per partition exact; across partitions by append time).
 *   <li>All complete: CONNECT with the same pid, the replayed events (each with V advanced to it),
 *       then the buffered deliveries except those at or before V or D (already had or replayed).
 *       Live events carry at least max(V, D) as offset until this gateway's positions pass it.
 *   <li>Any room not provably complete (unknown pid, epoch, trimmed, too many, error): a fresh
 *       connection with a NEW pid, so the client sees {@code socket.recovered === false}.
 * </ol>
 */
final class SocketIoRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoRecovery.class);

  private final SocketIoConnection connection;
  private final SocketIoContext context;
  private final ConnectionGrant grant;
  private final String pid;
  private final String offset;

  SocketIoRecovery(
      SocketIoConnection connection,
      SocketIoContext context,
      ConnectionGrant grant,
      String pid,
      String offset) {
    this.connection = connection;
    this.context = context;
    this.grant = grant;
    this.pid = pid;
    this.offset = offset;
  }

  void run() {
    context
        .store()
        .take(pid)
        .whenCompleteAsync(
            (entry, failure) -> resume(failure == null ? entry : Optional.empty()),
            connection.executor());
  }

  private void resume(Optional<RecoveryStore.Entry> entry) {
    if (connection.isClosed()) {
      return;
    }
    Optional<StreamVector> v = RecoveryOffset.decode(offset, context.layout().partitions());
    if (entry.isEmpty()
        || !entry.get().sub().equals(grant.sub())
        || v.isEmpty()
        || context.services().hub().positions() == null) {
      LOG.debug("recovery refused: unknown pid, other sub, or bad offset");
      connection.startFresh(grant);
      return;
    }
    ClientSession session = connection.newSession(grant);
    session.start();
    for (String room : entry.get().rooms()) {
      if (!session.restore(room)) {
        abandon(session, "room cannot be restored");
        return;
      }
    }
    // Read after joining: every event dispatched after D reaches the session (the hub publishes D
    // before it reads members), and the recovery below buffers it.
    StreamVector d = context.services().hub().positions();
    Map<String, EventId> since = new HashMap<>();
    for (String room : session.rooms()) {
      EventId position = v.get().position(context.layout().partitionOf(room));
      if (position == null) {
        abandon(session, "no position for a room's partition");
        return;
      }
      since.put(room, position);
    }
    Recovery.run(session, since, new Plan(session, v.get(), d));
  }

  /** Replays up to D with advancing offsets, then the live events after V and D. */
  private final class Plan implements Recovery.Plan {
    private final ClientSession session;
    private final StreamVector v;
    private final StreamVector d;
    private StreamVector resume;

    Plan(ClientSession session, StreamVector v, StreamVector d) {
      this.session = session;
      this.v = v;
      this.d = d;
      this.resume = v;
    }

    @Override
    public boolean keep(StoredEvent e) {
      return covers(d, e.partition(), e.id());
    }

    @Override
    public void answer(boolean recovered) {
      if (connection.isClosed()) {
        session.close(); // the client left while its replays were read
        context.registry().remove(session);
      } else if (recovered) {
        connection.recovered(session, pid, max(v, d));
      } else {
        abandon(session, "a room cannot be recovered completely");
      }
    }

    @Override
    public void replayed(StoredEvent e) {
      resume = resume.with(e.partition(), e.id());
      connection.sendReplayed(new Delivery(e), resume);
    }

    @Override
    public boolean skip(Delivery delivery) {
      StoredEvent e = delivery.event();
      return covers(v, e.partition(), e.id()) || covers(d, e.partition(), e.id());
    }
  }

  private void abandon(ClientSession session, String why) {
    LOG.debug("recovery not possible: {}", why);
    session.close();
    context.registry().remove(session);
    connection.startFresh(grant);
  }

  /** True when {@code id} is at or before {@code v}'s position in {@code partition}. */
  static boolean covers(StreamVector v, int partition, EventId id) {
    String epoch = v.epoch(partition);
    return epoch != null && epoch.equals(id.epoch()) && id.compareTo(v.position(partition)) <= 0;
  }

  /** Per partition the later position; where epochs differ, {@code b}'s (the newer life). */
  static StreamVector max(StreamVector a, StreamVector b) {
    StreamVector out = b;
    for (int p = 0; p < a.partitions(); p++) {
      EventId pa = a.position(p);
      EventId pb = b.position(p);
      if (pa != null && (pb == null || (pa.epoch().equals(pb.epoch()) && pa.compareTo(pb) > 0))) {
        out = out.with(p, pa);
      }
    }
    return out;
  }

  /** True when {@code g} is at or after {@code floor} in every partition the floor knows. */
  static boolean dominates(StreamVector g, StreamVector floor) {
    for (int p = 0; p < floor.partitions(); p++) {
      EventId f = floor.position(p);
      if (f == null) {
        continue;
      }
      EventId at = g.position(p);
      if (at == null || (at.epoch().equals(f.epoch()) && at.compareTo(f) < 0)) {
        return false;
      }
    }
    return true;
  }
}
