package dev.relay.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One Redis command over a fresh raw RESP connection, for test fixtures that must not depend on a
 * Redis client library: administrative commands on a node such as {@code CLUSTER NODES} or {@code
 * INFO replication}. Answers simple strings, integers and bulk strings as text; every wait is
 * bounded by a two-second socket timeout.
 */
final class Resp {

  private Resp() {}

  /**
   * The reply of {@code args} on the Redis at {@code 127.0.0.1:port}.
   *
   * @throws IOException when the node cannot be reached, answers an error or an unexpected type
   */
  static String call(int port, String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return reply(socket.getInputStream());
    }
  }

  private static byte[] encode(String... args) {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      int length = arg.getBytes(StandardCharsets.UTF_8).length;
      command.append('$').append(length).append("\r\n").append(arg).append("\r\n");
    }
    return command.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String reply(InputStream in) throws IOException {
    String header = line(in);
    if (header.isEmpty()) {
      throw new IOException("no reply");
    }
    String rest = header.substring(1);
    switch (header.charAt(0)) {
      case '+', ':' -> {
        return rest;
      }
      case '$' -> {
        int length = Integer.parseInt(rest);
        if (length < 0) {
          return null;
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        line(in);
        return body;
      }
      case '-' -> throw new IOException("redis error: " + rest);
      default -> throw new IOException("unexpected reply: " + header);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
