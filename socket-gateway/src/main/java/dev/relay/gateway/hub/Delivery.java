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

  private final StoredEvent event;
  private final StreamVector positions;
  private final boolean live;
  private final byte[][] frames = new byte[FrameFormat.MAX_FORMATS][];
  private String presenceSub;
  private boolean reported;

  /** A replayed event: not part of the live dispatch order, so it carries no positions. */
  public Delivery(StoredEvent event) {
    this(event, null);
  }

  /**
   * @param positions the consumer's positions right after dispatching {@code event}, or null
   */
  public Delivery(StoredEvent event, StreamVector positions) {
    this(event, positions, false);
  }

  Delivery(StoredEvent event, StreamVector positions, boolean live) {
    this.event = event;
    this.positions = positions;
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

  /** The dispatch positions right after this event (see {@link StreamVector}), or null. */
  public StreamVector positions() {
    return positions;
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
