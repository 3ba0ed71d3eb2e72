package dev.relay.bench.client;

import java.net.URI;

/**
 * The WebSocket protocols the bench speaks: Relay's JSON protocol and Socket.IO v4 over WebSocket.
 */
public enum Protocol {
  /** SPEC §5: {@code /realtime?token=…}; ready on {@code welcome}; events as {@code type:event}. */
  JSON,
  /**
   * SPEC §6: Engine.IO v4 / Socket.IO v5 at {@code /socket.io/?EIO=4&transport=websocket}; token in
   * the CONNECT packet's auth; ready on the CONNECT ack; events as {@code 42["event",{…}]}.
   */
  SOCKETIO;

  /** The WebSocket URI for {@code base} (an {@code http://} or {@code ws://} gateway URL). */
  public URI uri(URI base, String token) {
    String scheme =
        base.getScheme().startsWith("https") || base.getScheme().equals("wss") ? "wss" : "ws";
    String prefix = scheme + "://" + base.getHost() + ":" + port(base);
    if (this == JSON) {
      return URI.create(prefix + "/realtime?token=" + token);
    }
    return URI.create(prefix + "/socket.io/?EIO=4&transport=websocket");
  }

  static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return uri.getScheme().endsWith("s") ? 443 : 80;
  }
}
