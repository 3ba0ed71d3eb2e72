package dev.relay.gateway.session;

import dev.relay.engine.control.ControlListener;

/**
 * Applies server-side control signals (SPEC §11) to this gateway's connections: a removal makes
 * every connection of the user leave the room ({@link ClientSession#removed}); a disconnect closes
 * every connection of the user opened before it (allowing {@link RoomRemovals#SKEW_MILLIS} for
 * clock skew) with its code. Each step runs on the connection's own executor. Thread-safe.
 */
public final class ControlApplier implements ControlListener {

  private final SessionRegistry sessions;

  public ControlApplier(SessionRegistry sessions) {
    this.sessions = sessions;
  }

  @Override
  public void onRemoved(String room, String sub, long removedAtMillis) {
    for (SessionRegistry.Entry e : sessions.all()) {
      if (sub.equals(e.session().sub())) {
        e.channel().executor().execute(() -> e.session().removed(room, removedAtMillis));
      }
    }
  }

  @Override
  public void onDisconnect(String sub, int code, long atMillis) {
    sessions.closeWhere(
        e ->
            sub.equals(e.session().sub())
                && e.session().openedAtMillis() <= atMillis + RoomRemovals.SKEW_MILLIS,
        code,
        CloseCodes.errorCode(code));
  }
}
