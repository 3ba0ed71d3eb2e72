package dev.relay.publish.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.publish.auth.PublishAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** A raw HTTP client for black-box tests: exact bytes and headers, no client-side opinions. */
public final class HttpProbe {

  public static final String KEY_A = "test-key-a-0123456789abcdefghijklmnopqrstuv";
  public static final String KEY_B = "test-key-b-0123456789abcdefghijklmnopqrstuv";
  public static final String KEYS = KEY_A + "," + KEY_B;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpProbe(URI base) {
    this.base = base;
  }

  /** A POST with the given body and header name/value pairs. */
  public Answer post(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  public Answer post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** POST with JSON content type and a bearer token for KEY_A. */
  public Answer publish(String path, String body, String... extraHeaders) {
    String[] headers = new String[extraHeaders.length + 4];
    headers[0] = "Content-Type";
    headers[1] = "application/json";
    headers[2] = "Authorization";
    headers[3] = "Bearer " + KEY_A;
    System.arraycopy(extraHeaders, 0, headers, 4, extraHeaders.length);
    return post(path, body, headers);
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
  }

  /** A GET with header name/value pairs. */
  public Answer get(String path, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  public Answer method(String method, String path) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build());
  }

  /** The {@code X-Relay-Signature} value for {@code body} signed with {@code key} at {@code t}. */
  public static String signature(String key, Instant t, byte[] body) {
    long seconds = t.getEpochSecond();
    return "t="
        + seconds
        + ",v1="
        + PublishAuthenticator.signatureOf(key.getBytes(StandardCharsets.UTF_8), seconds, body);
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body parsed as JSON when it is JSON. */
  public record Answer(HttpResponse<String> response) {

    public int status() {
      return response.statusCode();
    }

    public String body() {
      return response.body();
    }

    public String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + response.body(), e);
      }
    }

    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status() + " " + contentType() + " " + body();
    }
  }
}
