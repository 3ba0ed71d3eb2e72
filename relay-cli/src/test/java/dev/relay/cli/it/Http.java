package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small HTTP helpers for the system ITs. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Http() {}

  /** POST /v1/events with the test API key. */
  static HttpResponse<String> publish(URI publishApi, String json) {
    return post(publishApi.resolve("/v1/events"), "Bearer " + Services.API_KEY, json);
  }

  /**
   * Publishes a {@code task.updated} event with {@code taskId = marker} to {@code room}, asserts
   * 202 and returns the event's id.
   */
  static String publishTask(URI publishApi, String room, Object marker) {
    HttpResponse<String> answer =
        publish(
            publishApi,
            "{\"room\":\""
                + room
                + "\",\"event\":\"task.updated\",\"payload\":{\"taskId\":\""
                + marker
                + "\",\"teamId\":\"t\"}}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    try {
      return JSON.readTree(answer.body()).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * POST /v1/events with the test API key and an {@code Idempotency-Key}: a retry with the same key
   * stores the event at most once.
   */
  static HttpResponse<String> publish(URI publishApi, String json, String idempotencyKey) {
    return send(
        postRequest(publishApi.resolve("/v1/events"), "Bearer " + Services.API_KEY, json)
            .header("Idempotency-Key", idempotencyKey)
            .build());
  }

  static HttpResponse<String> post(URI uri, String authorization, String json) {
    return send(postRequest(uri, authorization, json).build());
  }

  private static HttpRequest.Builder postRequest(URI uri, String authorization, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  static HttpResponse<String> get(URI uri, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
