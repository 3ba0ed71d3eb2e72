package dev.relay.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An RFC 6455 client written by hand on a plain {@link Socket}, for hostile-client tests: it reads
 * only when told to, so with a tiny receive buffer the server's writes back up exactly as behind a
 * client that stopped reading. Frames are sent masked, as a browser would.
 *
 * <p>Not thread-safe, except that {@link #close()} may be called from any thread to unblock a
 * writer. Every read is bounded by a timeout; a write blocks while the server does not read.
 */
public final class RawWebSocket implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** One received frame; {@code payload} is unmasked (servers never mask). */
  public record Frame(int opcode, byte[] payload) {

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 when it carries none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int status;

  private RawWebSocket(Socket socket, int status) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.status = status;
  }

  /**
   * Opens a TCP connection with the given receive buffer (set before connecting, so the window the
   * server sees is small), sends the upgrade request for {@code pathAndQuery} and reads the status
   * line and headers. The socket stays open whatever the status: {@link #status()} says whether it
   * was upgraded (101).
   */
  public static RawWebSocket open(
      InetSocketAddress server, String pathAndQuery, Map<String, String> headers, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(server, 5_000);
    socket.setSoTimeout(10_000);
    StringBuilder request =
        new StringBuilder("GET ")
            .append(pathAndQuery)
            .append(" HTTP/1.1\r\nHost: ")
            .append(server.getHostString())
            .append(':')
            .append(server.getPort())
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13")
            .append("\r\nSec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(randomBytes(16)))
            .append("\r\n");
    headers.forEach(
        (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    return new RawWebSocket(socket, readStatus(socket.getInputStream()));
  }

  /** The HTTP status of the upgrade answer (101 when upgraded). */
  public int status() {
    return status;
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public void send(int opcode, byte[] payload) throws IOException {
    out.write(frame(opcode, payload));
    out.flush();
  }

  /** Writes bytes as they are: several frames in one TCP write, or a frame cut in two. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A complete masked frame with FIN set, for {@link #sendRaw}. */
  public static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = randomBytes(4);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /**
   * The next frame, or null when the server ended the TCP connection (EOF or reset) first.
   *
   * @throws SocketTimeoutException when nothing complete arrives within {@code wait}
   */
  public Frame read(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int second = readByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = ((long) readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      if (length > 16 * 1024 * 1024) {
        throw new IOException("frame of " + length + " bytes");
      }
      return new Frame(first & 0x0f, in.readNBytes((int) length));
    } catch (EOFException | java.net.SocketException e) {
      return null;
    }
  }

  /** The next text frame's text, answering nothing and skipping pings and pongs; null on close. */
  public String readText(Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Frame frame = read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (frame == null || frame.opcode() == CLOSE) {
        return null;
      }
      if (frame.opcode() == TEXT) {
        return frame.text();
      }
    }
  }

  /** True once a write fails: the server closed or reset the TCP connection. */
  public boolean writeFails(byte[] probe) {
    try {
      out.write(probe);
      out.flush();
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket that is already gone
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  private static int readStatus(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    String[] statusLine = text.split("\r\n", 2)[0].split(" ");
    return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
