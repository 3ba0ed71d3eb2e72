package dev.relay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Engine.IO v4 long-polling client that does only what a test tells it: it can open a session
 * and then never poll again, so the server's outbox for it has to be bounded. Packets in one
 * polling body are separated by the record separator {@code \u001e}.
 *
 * <p>Every request is bounded by a 10 s timeout (a GET the server holds longer fails).
 */
public final class EngineIoPolling {

  public static final String SEPARATOR = "\u001e";
  private static final Pattern SID = Pattern.compile("\"sid\"\\s*:\\s*\"([^\"]+)\"");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI endpoint;
  private final String sid;

  private EngineIoPolling(URI endpoint, String sid) {
    this.endpoint = endpoint;
    this.sid = sid;
  }

  /** The answer to an Engine.IO handshake ({@code GET /socket.io/?EIO=4&transport=polling}). */
  public static HttpResponse<String> handshake(URI gateway, Map<String, String> headers) {
    return send(get(gateway.resolve("/socket.io/?EIO=4&transport=polling"), headers));
  }

  /** Opens a session; fails unless the handshake answered 200 with an open packet. */
  public static EngineIoPolling open(URI gateway) {
    HttpResponse<String> answer = handshake(gateway, Map.of());
    Matcher sid = SID.matcher(answer.body());
    if (answer.statusCode() != 200 || !sid.find()) {
      throw new IllegalStateException(
          "handshake answered " + answer.statusCode() + ": " + answer.body());
    }
    return new EngineIoPolling(gateway.resolve("/socket.io/"), sid.group(1));
  }

  public String sid() {
    return sid;
  }

  /** POSTs packets (joined with the separator); returns the status. */
  public int post(String... packets) {
    HttpRequest request =
        HttpRequest.newBuilder(uri())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(String.join(SEPARATOR, packets)))
            .build();
    return send(request).statusCode();
  }

  /** One poll: the status and the packets the server had queued (or held the GET for). */
  public HttpResponse<String> poll() {
    return send(get(uri(), Map.of()));
  }

  private URI uri() {
    return URI.create(endpoint + "?EIO=4&transport=polling&sid=" + sid);
  }

  private static HttpRequest get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return request.build();
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
