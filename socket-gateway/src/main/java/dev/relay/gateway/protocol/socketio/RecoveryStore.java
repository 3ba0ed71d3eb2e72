package dev.relay.gateway.protocol.socketio;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the server keeps of a Socket.IO connection for its recovery, by private id ({@code pid}):
 * the user and the rooms it joined on request (the token's rooms come back with the token).
 * Implementations are thread-safe and forget entries after the recovery window.
 */
interface RecoveryStore {

  /** The user and requested rooms of one connection. */
  record Entry(String sub, Set<String> rooms) {
    public Entry {
      rooms = Set.copyOf(rooms);
    }
  }

  /** Records (or replaces) the entry of {@code pid}; kept for at least the recovery window. */
  void save(String pid, Entry entry);

  /**
   * The entry of {@code pid}, removing it: a pid recovers at most one connection. Completes empty
   * when the pid is unknown, expired, or the store cannot be reached.
   */
  CompletionStage<Optional<Entry>> take(String pid);
}
