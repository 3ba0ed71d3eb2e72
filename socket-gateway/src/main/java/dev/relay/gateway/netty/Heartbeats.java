package dev.relay.gateway.netty;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps idle connections alive and drops dead ones, with one sweep over all connections instead of
 * a timer per connection: a connection silent for {@code pingAfter} gets a WebSocket ping; one
 * silent for {@code dropAfter} is closed. Thread-safe.
 */
public final class Heartbeats {

  private final Set<NettyTransport> live = ConcurrentHashMap.newKeySet();
  private final Duration pingAfter;
  private final Duration dropAfter;

  public Heartbeats(Duration pingAfter, Duration dropAfter) {
    this.pingAfter = pingAfter;
    this.dropAfter = dropAfter;
  }

  void add(NettyTransport transport) {
    live.add(transport);
  }

  void remove(NettyTransport transport) {
    live.remove(transport);
  }

  public int size() {
    return live.size();
  }

  /** One sweep; call it at least every {@code pingAfter / 2}. */
  public void sweep() {
    long now = System.currentTimeMillis();
    for (NettyTransport t : live) {
      long silent = now - t.lastSeenMillis();
      if (silent >= dropAfter.toMillis()) {
        t.abort();
      } else if (silent >= pingAfter.toMillis()) {
        t.ping();
      }
    }
  }
}
