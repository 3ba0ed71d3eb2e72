package dev.relay.gateway.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for how much a gateway holds for one client (SPEC §10): bytes queued for a
 * connection and not yet written to its socket (WebSocket) or taken by the client (long-polling,
 * SSE), counting every frame — events, replies, pongs, errors. A write that would pass {@link
 * #maxBytes} is not queued: the transport closes the connection instead ({@code 1013} on a
 * WebSocket; for Socket.IO the transport closes without DISCONNECT, so the stock client recovers).
 * Each overflow is counted once and logged once (the connection is gone after it). Thread-safe; one
 * instance per gateway.
 */
public final class OutboundBudget {

  /** How long a close may take before the connection is dropped without a handshake. */
  public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  /** The close code of an overflowing WebSocket: try again later, and recover. */
  public static final int OVERFLOW_CLOSE_CODE = 1013;

  private static final Logger LOG = LoggerFactory.getLogger(OutboundBudget.class);

  private final long maxBytes;
  private final Runnable onOverflow;
  private final AtomicLong overflows = new AtomicLong();

  /**
   * @param maxBytes {@code RELAY_MAX_OUTBOUND_BYTES}
   * @param onOverflow counts one slow consumer (e.g. {@code
   *     relay_errors_total{type=slow_consumer}}); must not block
   */
  public OutboundBudget(long maxBytes, Runnable onOverflow) {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("an outbound budget below 1 KiB: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.onOverflow = onOverflow;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** True when {@code frameBytes} more may be queued on top of {@code queuedBytes}. */
  public boolean admits(long queuedBytes, long frameBytes) {
    return queuedBytes + frameBytes <= maxBytes;
  }

  /**
   * Records that connection {@code who} overflowed; the caller closes it. Call once per connection.
   */
  public void overflowed(String who, long queuedBytes) {
    overflows.incrementAndGet();
    LOG.info(
        "closing slow consumer {}: {} bytes not taken by the client (budget {})",
        LogText.cut(who),
        queuedBytes,
        maxBytes);
    onOverflow.run();
  }

  /** Connections closed for overflowing since start. */
  public long overflows() {
    return overflows.get();
  }

  /** The UTF-8 length of {@code text}, without encoding it. */
  public static int utf8Length(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
