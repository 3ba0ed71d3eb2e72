package dev.relay.gateway.hub;

import java.util.concurrent.Executor;

/** A local receiver of a room's events: one client connection, whatever its protocol. */
public interface Subscriber {

  /**
   * The single-threaded executor that confines this subscriber (its connection's event loop). The
   * hub groups a room's members by executor, so one event costs one task per event loop, not one
   * per connection.
   */
  Executor executor();

  /** Receives one event, on {@link #executor()}, in the room's order. Must not block. */
  void receive(Delivery delivery);

  /**
   * The gateway cannot prove this subscriber received every event of {@code room} (the feed lost
   * its position there): it must end its connection so its client recovers. On {@link #executor()}.
   */
  void roomLost(String room);
}
