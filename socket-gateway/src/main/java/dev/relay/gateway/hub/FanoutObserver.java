package dev.relay.gateway.hub;

import dev.relay.engine.StoredEvent;

/**
 * Watches the fan-out of live events, for metrics and tracing. Implementations must be thread-safe,
 * must not block and must not throw: they run inline on the feed's thread and on the connections'
 * event loops. Replayed events (recovery) are never reported.
 */
public interface FanoutObserver {

  /** Observes nothing. */
  FanoutObserver NONE =
      new FanoutObserver() {
        @Override
        public void dispatched(StoredEvent event, int subscribers) {}

        @Override
        public void written(Delivery delivery) {}

        @Override
        public void slowConsumerClosed() {}

        @Override
        public void roomLost(String reason, int subscribers) {}

        @Override
        public void followFailed() {}
      };

  /**
   * Once per event the feed delivered to this gateway, on the feed's thread, right after it was
   * handed to its {@code subscribers} local subscribers (zero when none is in its room).
   */
  void dispatched(StoredEvent event, int subscribers);

  /**
   * A live delivery's frame was just handed to one connection's transport, on that connection's
   * event loop (for a WebSocket: written and flushed to the socket).
   */
  void written(Delivery delivery);

  /** A connection was closed because it could not keep up with its events. */
  void slowConsumerClosed();

  /**
   * The feed lost its position in a room ({@code reason}: {@code gap}, {@code epoch_changed}, …);
   * its {@code subscribers} local members are being closed so they recover. On the feed's thread.
   */
  void roomLost(String reason, int subscribers);

  /** A room could not be followed (the store did not answer); its joins are refused. */
  void followFailed();
}
