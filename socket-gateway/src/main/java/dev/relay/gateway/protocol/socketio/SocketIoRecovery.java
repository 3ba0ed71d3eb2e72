package dev.relay.gateway.protocol.socketio;

import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.OffsetRecovery;
import dev.relay.gateway.session.ResumeOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO connection state recovery for one reconnecting client ({@code pid} + {@code offset} in
 * its CONNECT), on any gateway instance: takes the pid's record (same {@code sub}), joins the new
 * token's rooms and the recorded requested rooms, waits until they are all followed, then resumes
 * them all from the offset with {@link OffsetRecovery}. All complete: CONNECT with the same pid,
 * the replayed events, then live ones. Any room not provably complete (unknown pid, epoch, trimmed,
 * too many, error): a fresh connection with a NEW pid, so the client sees {@code socket.recovered
 * === false}.
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
    Optional<ResumeOffset> v = ResumeOffset.decode(offset);
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
    session
        .followed()
        .whenComplete(
            (ok, failure) -> {
              if (connection.isClosed()) {
                return; // onClose closed the pending session
              }
              if (failure != null) {
                abandon(session, "rooms not followed: " + failure);
              } else {
                recover(session, v.get());
              }
            });
  }

  private void recover(ClientSession session, ResumeOffset v) {
    boolean started =
        OffsetRecovery.start(
            session,
            v,
            new OffsetRecovery.Writer() {
              @Override
              public void answer(boolean recovered) {
                if (connection.isClosed()) {
                  return; // onClose closed the pending session
                } else if (recovered) {
                  connection.recovered(session, pid);
                } else {
                  abandon(session, "a room cannot be recovered completely");
                }
              }

              @Override
              public void replayed(Delivery delivery, String offset) {
                connection.sendReplayed(delivery, offset);
              }
            });
    if (!started) {
      abandon(session, "a room has no position in the offset, or one of another epoch");
    }
  }

  private void abandon(ClientSession session, String why) {
    LOG.debug("recovery not possible: {}", why);
    connection.abandoned(session);
    connection.startFresh(grant);
  }
}
