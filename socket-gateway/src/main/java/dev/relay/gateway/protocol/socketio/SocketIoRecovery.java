package dev.relay.gateway.protocol.socketio;

import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.StreamVector;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.OffsetRecovery;
import dev.relay.gateway.session.ResumeOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO connection state recovery for one reconnecting client ({@code pid} + {@code offset} in
 * its CONNECT), on any gateway instance: takes the pid's record (same {@code sub}), joins the new
 * token's rooms and the recorded requested rooms, then resumes them all from the offset with {@link
 * OffsetRecovery}. All complete: CONNECT with the same pid, the replayed events, then live ones.
 * Any room not provably complete (unknown pid, epoch, trimmed, too many, error): a fresh connection
 * with a NEW pid, so the client sees {@code socket.recovered === false}.
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
    Optional<StreamVector> v = ResumeOffset.decode(offset, context.layout().partitions());
    if (entry.isEmpty() || !entry.get().sub().equals(grant.sub()) || v.isEmpty()) {
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
    boolean started =
        OffsetRecovery.start(
            session,
            context.layout(),
            v.get(),
            new OffsetRecovery.Writer() {
              @Override
              public void answer(boolean recovered, StreamVector floor) {
                if (connection.isClosed()) {
                  session.close(); // the client left while its replays were read
                  context.registry().remove(session);
                } else if (recovered) {
                  connection.recovered(session, pid, floor);
                } else {
                  abandon(session, "a room cannot be recovered completely");
                }
              }

              @Override
              public void replayed(Delivery delivery, StreamVector offset) {
                connection.sendReplayed(delivery, offset);
              }
            });
    if (!started) {
      abandon(session, "no position for a room's partition");
    }
  }

  private void abandon(ClientSession session, String why) {
    LOG.debug("recovery not possible: {}", why);
    session.close();
    context.registry().remove(session);
    connection.startFresh(grant);
  }
}
