package dev.relay.publish.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One raw TCP connection to a service, for tests that must control every byte and its timing
 * (headers without a body, a body sent a byte at a time). Reads are bounded by a socket timeout.
 */
final class RawHttp implements AutoCloseable {

  /** A parsed answer: status, the raw head and the body (by {@code Content-Length}). */
  record Answer(int status, String head, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(URI base) {
    try {
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Request line and headers (CRLF-separated, without the final blank line), then the blank line.
   */
  RawHttp head(String requestLine, String... headers) {
    StringBuilder text = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    return send(text.append("\r\n").toString());
  }

  RawHttp send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawHttp send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #send(byte[])}, but answers false instead of failing once the peer is gone. */
  boolean trySend(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one answer; fails if none arrives within the socket timeout. */
  Answer read() {
    try {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed before an answer; got: " + head);
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(text.substring(9, 12));
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
      }
      byte[] body = in.readNBytes(length);
      return new Answer(status, text, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True once the peer closed (or reset) the connection; false while it is open and silent. */
  boolean closedByPeer() {
    try {
      socket.setSoTimeout(20);
      int b = in.read();
      return b < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      try {
        socket.setSoTimeout(10_000);
      } catch (IOException e) {
        // the socket is gone; the next call reports it
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do: the test is over with this connection
    }
  }
}
