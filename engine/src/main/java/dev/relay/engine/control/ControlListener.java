package dev.relay.engine.control;

/**
 * Told about each server-side control signal once per instance (SPEC §11), on the store's internal
 * thread; must return quickly.
 */
public interface ControlListener {

  /**
   * {@code sub} was removed from {@code room} at {@code removedAtMillis} (Unix milliseconds, the
   * store's clock): every connection of that user in the room that joined before then leaves it.
   */
  void onRemoved(String room, String sub, long removedAtMillis);

  /**
   * Every connection of {@code sub} opened before {@code atMillis} closes with {@code code}
   * (4000–4999).
   */
  void onDisconnect(String sub, int code, long atMillis);
}
