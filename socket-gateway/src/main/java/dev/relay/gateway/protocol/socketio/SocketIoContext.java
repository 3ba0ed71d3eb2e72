package dev.relay.gateway.protocol.socketio;

import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import java.security.SecureRandom;
import java.util.Base64;

/** What every Socket.IO connection of a gateway shares. */
record SocketIoContext(
    SessionServices services,
    SessionRegistry registry,
    RecoveryStore store,
    EngineIoSettings settings) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** 20 random URL-safe characters: Socket.IO ids and pids. */
  static String randomId() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
