package dev.relay.cli.hostile;

import dev.relay.testkit.RawWebSocket;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writing half of a hostile client that never reads: on its own thread it sends {@code chunk}
 * until {@code floodBytes} are written, then a 6-byte unsolicited pong (RFC 6455 allows it; the
 * server ignores it) every 50 ms. The first failed write is the moment the server's end of the TCP
 * connection is gone (reset, or closed so that our next segment was answered with a reset).
 *
 * <p>A write blocks while the server does not read; {@link #close()} closes the socket, which
 * unblocks it. Counters are safe to read from any thread.
 */
final class HostileWriter implements AutoCloseable {

  private static final byte[] PROBE = RawWebSocket.frame(RawWebSocket.PONG, new byte[0]);

  private final RawWebSocket socket;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong endedAt = new AtomicLong();
  private volatile boolean flooding = true;
  private volatile boolean stopped;
  private final Thread thread;

  private HostileWriter(RawWebSocket socket, byte[] chunk, long floodBytes) {
    this.socket = socket;
    this.thread = new Thread(() -> run(chunk, floodBytes), "hostile-writer");
    thread.setDaemon(true);
  }

  /** Starts flooding {@code socket} with {@code chunk} (up to {@code floodBytes}), then probing. */
  static HostileWriter start(RawWebSocket socket, byte[] chunk, long floodBytes) {
    HostileWriter writer = new HostileWriter(socket, chunk, floodBytes);
    writer.thread.start();
    return writer;
  }

  /** Only probes: for a client that stopped reading but sends nothing of its own. */
  static HostileWriter probe(RawWebSocket socket) {
    return start(socket, PROBE, 0);
  }

  /** {@code chunk} repeated, e.g. many ping frames in one TCP write. */
  static byte[] repeat(byte[] frame, int times) {
    byte[] chunk = new byte[frame.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(frame, 0, chunk, i * frame.length, frame.length);
    }
    return chunk;
  }

  long sent() {
    return sent.get();
  }

  /** False once the flood is over: every byte sent, or the connection ended. */
  boolean flooding() {
    return flooding;
  }

  boolean ended() {
    return endedAt.get() != 0;
  }

  /** {@link System#nanoTime()} of the first failed write; only meaningful once {@link #ended()}. */
  long endedAtNanos() {
    return endedAt.get();
  }

  @Override
  public void close() {
    stopped = true;
    socket.close();
  }

  private void run(byte[] chunk, long floodBytes) {
    try {
      while (!stopped && sent.get() < floodBytes) {
        socket.sendRaw(chunk);
        sent.addAndGet(chunk.length);
      }
      flooding = false;
      while (!stopped) {
        socket.sendRaw(PROBE);
        Thread.sleep(50); // the probe's cadence, not a wait for a condition
      }
    } catch (IOException e) {
      if (!stopped) {
        endedAt.set(System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      flooding = false;
    }
  }
}
