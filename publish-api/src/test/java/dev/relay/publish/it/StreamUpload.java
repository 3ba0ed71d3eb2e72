package dev.relay.publish.it;

import static dev.relay.publish.it.HttpProbe.KEY_A;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.publish.it.RawHttp.Answer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One {@code POST /v1/events:stream} over a raw socket, so a test decides when each chunk goes out
 * (a line, a piece of a line, nothing for a while) and when the body ends.
 */
final class StreamUpload implements AutoCloseable {

  static final String PATH = "/v1/events:stream";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RawHttp http;

  private StreamUpload(RawHttp http) {
    this.http = http;
  }

  /** Sends the head of an authenticated chunked NDJSON stream. */
  static StreamUpload open(URI server) {
    return open(server, "Authorization: Bearer " + KEY_A, "Content-Type: application/x-ndjson");
  }

  /** Sends the head with these headers (and chunked transfer encoding). */
  static StreamUpload open(URI server, String... headers) {
    RawHttp http = new RawHttp(server);
    String[] all = new String[headers.length + 1];
    System.arraycopy(headers, 0, all, 0, headers.length);
    all[headers.length] = "Transfer-Encoding: chunked";
    http.head("POST " + PATH + " HTTP/1.1", all);
    return new StreamUpload(http);
  }

  /** One event line (a newline is added) as one chunk. */
  StreamUpload line(String json) {
    return chunk(json + "\n");
  }

  /** Any bytes as one chunk. */
  StreamUpload chunk(String text) {
    return chunk(text.getBytes(StandardCharsets.UTF_8));
  }

  StreamUpload chunk(byte[] bytes) {
    http.send(chunkBytes(bytes));
    return this;
  }

  /** Like {@link #chunk(byte[])} but false once the server closed the connection. */
  boolean trySend(byte[] bytes) {
    return http.trySend(chunkBytes(bytes));
  }

  /** The last chunk: the body ends. */
  StreamUpload end() {
    http.send("0\r\n\r\n");
    return this;
  }

  /** An answer's body as JSON. */
  static JsonNode json(Answer answer) {
    try {
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + answer.body(), e);
    }
  }

  Answer read() {
    return http.read();
  }

  boolean closedByPeer() {
    return http.closedByPeer();
  }

  private static byte[] chunkBytes(byte[] bytes) {
    byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + bytes.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bytes, 0, out, head.length, bytes.length);
    out[out.length - 2] = '\r';
    out[out.length - 1] = '\n';
    return out;
  }

  @Override
  public void close() {
    http.close();
  }
}
