package dev.relay.gateway.kit;

import dev.relay.testkit.ReadGate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An Engine.IO v4 client over one WebSocket ({@code transport=websocket}, no polling): it answers
 * every server ping {@code 2} with a pong {@code 3} on the receiving thread, as engine.io-client
 * does, and hands every other text packet to {@link #poll} in order. Ends with a {@link #CLOSED}
 * marker carrying the close code (1006 when the connection broke without a close frame).
 * Thread-safe: the JDK WebSocket thread writes, one test thread reads.
 */
final class EngineIoSocket {

  /** Prefix of the marker packet queued last, followed by the close code. */
  static final String CLOSED = "\u0000closed:";

  private final LinkedBlockingQueue<String> packets = new LinkedBlockingQueue<>();
  private final Receiver receiver = new Receiver();
  private final WebSocket socket;

  private EngineIoSocket(String url) {
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create(url), receiver)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
  }

  /** Opens {@code ws://…/socket.io/?EIO=4&transport=websocket}; the open packet is queued. */
  static EngineIoSocket open(String url) {
    return new EngineIoSocket(url);
  }

  void send(String packet) {
    socket.sendText(packet, true).join();
  }

  /** The next packet (or the {@link #CLOSED} marker), or null after {@code wait}. */
  String poll(Duration wait) {
    try {
      return packets.poll(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Takes no more frames off the socket (and so answers no pings) until {@link #resume}. */
  void pause() {
    receiver.gate.pause();
  }

  void resume() {
    receiver.gate.resume(socket);
  }

  boolean isClosed() {
    return receiver.closed;
  }

  /** Drops the connection without a close handshake. */
  void abort() {
    socket.abort();
  }

  /** Receives on the JDK's WebSocket thread; pausing withholds demand, so TCP reading stops. */
  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final ReadGate gate = new ReadGate();
    private volatile boolean closed;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String packet = partial.toString();
        partial.setLength(0);
        if ("2".equals(packet)) {
          ws.sendText("3", true);
        } else {
          packets.add(packet);
        }
      }
      gate.next(ws);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      packets.add("binary frame");
      gate.next(ws);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      ended(code);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      ended(1006);
    }

    private synchronized void ended(int code) {
      if (!closed) {
        closed = true;
        packets.add(CLOSED + code);
      }
    }
  }
}
