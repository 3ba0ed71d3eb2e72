package dev.relay.gateway.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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
  final BiFunction<Delivery, String, byte[]> withOffset;

  private FrameFormat(
      Function<Delivery, byte[]> encoder, BiFunction<Delivery, String, byte[]> withOffset) {
    this.index = NEXT.getAndIncrement();
    if (index >= MAX_FORMATS) {
      throw new IllegalStateException("too many frame formats");
    }
    this.encoder = encoder;
    this.withOffset = withOffset;
  }

  /** Declare each format once, as a constant. */
  public static FrameFormat of(Function<Delivery, byte[]> encoder) {
    return new FrameFormat(
        encoder,
        (d, offset) -> {
          throw new UnsupportedOperationException("this format carries no offset");
        });
  }

  /**
   * A format whose frame carries a connection's resume offset: {@code withOffset} encodes any
   * offset, {@code encoder} the offset of a connection whose only room is the event's (the same for
   * every such connection, so cached once per event).
   */
  public static FrameFormat withOffset(
      Function<Delivery, byte[]> encoder, BiFunction<Delivery, String, byte[]> withOffset) {
    return new FrameFormat(encoder, withOffset);
  }
}
