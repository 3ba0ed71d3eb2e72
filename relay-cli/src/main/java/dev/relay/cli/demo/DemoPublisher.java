package dev.relay.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.ErrorCodes;
import dev.relay.service.http.Problem;
import dev.relay.service.http.ProblemResponses;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DEV-ONLY. Publishes the demo's events the way an app backend does: {@code POST /v1/events} over
 * HTTP to this process's own publish-api, with the dev API key, so they take the real path
 * (authentication, schema validation, rate limits, metrics, the engine). publish-api's answer is
 * passed through as is.
 */
@Singleton
@Requires(property = "relay.dev-mode", value = "true")
public class DemoPublisher {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String apiKey;
  private final Provider<EmbeddedServer> server;

  public DemoPublisher(@Value("${relay.api.key}") String apiKeys, Provider<EmbeddedServer> server) {
    this.apiKey = apiKeys.split(",")[0].strip();
    this.server = server;
  }

  /** Publishes one event to room {@code session:<session>}; completes with publish-api's answer. */
  CompletionStage<HttpResponse<?>> publish(String session, String type, Map<String, ?> payload) {
    return publish("sessionId", session, type, payload);
  }

  /** Publishes one event to any room; completes with publish-api's answer. */
  CompletionStage<HttpResponse<?>> publishToRoom(String room, String type, Map<String, ?> payload) {
    return publish("room", room, type, payload);
  }

  /** The URL of this process's publish-api endpoint {@code path}. */
  URI endpoint(String path) {
    return URI.create("http://127.0.0.1:" + server.get().getPort() + path);
  }

  /** The dev API key, for requests the demo backend makes itself. */
  String apiKey() {
    return apiKey;
  }

  private CompletionStage<HttpResponse<?>> publish(
      String targetField, String target, String type, Map<String, ?> payload) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(targetField, target);
    body.put("event", type);
    body.put("payload", payload);
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(endpoint("/v1/events"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofString())
        .<HttpResponse<?>>thenApply(
            answer ->
                HttpResponse.<String>status(HttpStatus.valueOf(answer.statusCode()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .body(answer.body()));
  }

  /** A 400 {@code invalid_request} problem: the request has no valid value for {@code field}. */
  static CompletionStage<HttpResponse<?>> badRequest(String field, String detail) {
    return CompletableFuture.completedFuture(
        ProblemResponses.of(Problem.of(400, ErrorCodes.INVALID_REQUEST, detail, field), 0));
  }

  /**
   * A 409 problem: the action no longer applies to the table (someone advanced or revealed first).
   * {@code conflict} is the demo app's own code, not one of Relay's (SPEC §2).
   */
  static CompletionStage<HttpResponse<?>> conflict(String detail) {
    return CompletableFuture.completedFuture(
        ProblemResponses.of(Problem.of(409, "conflict", detail, null), 0));
  }
}
