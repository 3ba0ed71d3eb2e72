package dev.relay.gateway.hub;

import dev.relay.engine.StoredEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One event on its way to the local subscribers of its room, with its wire encodings computed at
 * most once per format (a benign race may encode twice; both results are equal).
 *
 * <p>Thread-safety: a delivery is read on several event loops at once. An encoded frame is
 * published with release semantics and read with acquire semantics, so a loop that sees a frame
 * also sees all of its bytes; {@link #presenceSub} is an immutable {@link String}, safe under a
 * race.
 */
public final class Delivery {

  private static final VarHandle FRAMES = MethodHandles.arrayElementVarHandle(byte[][].class);
  private static final VarHandle KEYED = MethodHandles.arrayElementVarHandle(Keyed[].class);

  /** A frame encoded with one connection offset; immutable, so safe to publish under a race. */
  private record Keyed(String offset, byte[] frame) {}

  private final StoredEvent event;
  private final boolean live;
  private final byte[][] frames = new byte[FrameFormat.MAX_FORMATS][];
  private Keyed[] keyed;
  private String presenceSub;
  private boolean reported;

  /** A replayed event: not part of the live dispatch. */
  public Delivery(StoredEvent event) {
    this(event, false);
  }

  Delivery(StoredEvent event, boolean live) {
    this.event = event;
    this.live = live;
  }

  /**
   * True on the first call for this delivery, false after: lets an observer measure the first write
   * of each event on this gateway. A benign race between event loops may answer true twice.
   */
  public boolean firstReport() {
    if (reported) {
      return false;
    }
    reported = true;
    return true;
  }

  /** True for an event dispatched live by the {@link Hub}; false for replays. */
  public boolean isLive() {
    return live;
  }

  public StoredEvent event() {
    return event;
  }

  /** The event encoded in {@code format}; callers must not modify the array. */
  public byte[] frame(FrameFormat format) {
    byte[] frame = (byte[]) FRAMES.getAcquire(frames, format.index);
    if (frame == null) {
      frame = format.encoder.apply(this);
      FRAMES.setRelease(frames, format.index, frame);
    }
    return frame;
  }

  /**
   * The event encoded in {@code format} with a connection's resume {@code offset} (Socket.IO, SSE):
   * the last frame made per format is kept, so connections whose offsets are equal (the same rooms
   * at the same positions) share one encoding. Callers must not modify the array. Confined use is
   * not required: a race only encodes twice.
   */
  public byte[] frame(FrameFormat format, String offset) {
    Keyed[] cache = keyed;
    if (cache == null) {
      cache = new Keyed[FrameFormat.MAX_FORMATS];
      keyed = cache;
    }
    Keyed last = (Keyed) KEYED.getAcquire(cache, format.index);
    if (last != null && last.offset().equals(offset)) {
      return last.frame();
    }
    byte[] frame = format.withOffset.apply(this, offset);
    KEYED.setRelease(cache, format.index, new Keyed(offset, frame));
    return frame;
  }

  /**
   * For {@code presence.*} events, the user they are about ({@code payload.sub}); null for other
   * events. Parsed once per event (a benign race may parse twice).
   */
  public String presenceSub() {
    if (!event.type().startsWith("presence.")) {
      return null;
    }
    String sub = presenceSub;
    if (sub == null) {
      sub = PresencePayload.sub(event.envelopeJson());
      presenceSub = sub;
    }
    return sub;
  }
}
