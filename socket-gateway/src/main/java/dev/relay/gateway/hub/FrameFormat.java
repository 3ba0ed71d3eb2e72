package dev.relay.gateway.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One way of encoding an event for the wire (JSON protocol, Socket.IO). {@link Delivery} caches the
 * encoding per format, so an event sent to 1,000 connections is encoded once per protocol.
 */
public final class FrameFormat {

  static final int MAX_FORMATS = 4;
  private static final AtomicInteger NEXT = new AtomicInteger();

  final int index;
  final Function<Delivery, byte[]> encoder;

  private FrameFormat(Function<Delivery, byte[]> encoder) {
    this.index = NEXT.getAndIncrement();
    if (index >= MAX_FORMATS) {
      throw new IllegalStateException("too many frame formats");
    }
    this.encoder = encoder;
  }

  /** Declare each format once, as a constant. */
  public static FrameFormat of(Function<Delivery, byte[]> encoder) {
    return new FrameFormat(encoder);
  }
}
