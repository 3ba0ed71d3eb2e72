package dev.relay.gateway.transport;

/** What a protocol adapter does with the frames of one connection; called on its executor. */
public interface FrameListener {

  void onText(String text);

  void onBinary();

  /** The connection is gone, whichever side closed it. Called once. */
  void onClosed();
}
