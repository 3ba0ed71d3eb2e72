package dev.relay.gateway.session;

import dev.relay.engine.EventLog;
import dev.relay.gateway.auth.TokenVerifier;
import dev.relay.gateway.hub.Hub;
import java.time.Clock;

/** What every client session shares: one instance per gateway. */
public record SessionServices(
    Hub hub,
    EventLog log,
    TokenVerifier tokens,
    ConnectionAdmission admission,
    ClientEventPublisher publisher,
    PresenceDirectory presence,
    SessionLimits limits,
    Clock clock,
    RoomRemovals removals) {

  /** Without server-side removals (tests). */
  public SessionServices(
      Hub hub,
      EventLog log,
      TokenVerifier tokens,
      ConnectionAdmission admission,
      ClientEventPublisher publisher,
      PresenceDirectory presence,
      SessionLimits limits,
      Clock clock) {
    this(hub, log, tokens, admission, publisher, presence, limits, clock, RoomRemovals.NONE);
  }
}
