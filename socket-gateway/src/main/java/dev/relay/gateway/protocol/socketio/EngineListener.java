package dev.relay.gateway.protocol.socketio;

/** What the Socket.IO layer does with one Engine.IO session; called on the session's executor. */
interface EngineListener {

  /** The data of one Engine.IO MESSAGE packet (an encoded Socket.IO packet). */
  void onMessage(String data);

  /** The session is gone; called once. */
  void onClose(String reason);
}
