package dev.relay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./relay publish}: publishes one event through publish-api, as a backend would. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Publishes one event with RELAY_API_KEY (from the environment or .relay/dev.env).")
final class PublishCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin Target target = new Target();

  @Option(names = "--event", required = true, description = "Event type, e.g. vote.cast.")
  String event;

  @Option(names = "--payload", defaultValue = "{}", description = "JSON object.")
  String payload;

  @Option(names = "--nonce", description = "Idempotency key: the same nonce is delivered once.")
  String nonce;

  @Option(
      names = "--url",
      description = "publish-api base URL (default RELAY_URL or http://localhost:8080).")
  String url;

  @Override
  public Integer call() throws IOException, InterruptedException {
    DevEnv env = DevEnv.locate();
    String key =
        env.get("RELAY_API_KEY")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "RELAY_API_KEY is not set: run ./relay dev first or export it"))
            .split(",")[0]
            .strip();
    String base = url != null ? url : env.get("RELAY_URL").orElse("http://localhost:8080");
    ObjectNode body = JSON.createObjectNode();
    if (target.session != null) {
      body.put("sessionId", target.session);
    } else {
      body.put("room", target.room());
    }
    body.put("event", event);
    body.set("payload", JSON.readTree(payload));
    if (nonce != null) {
      body.put("nonce", nonce);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    System.out.println(response.statusCode() + " " + response.body());
    return response.statusCode() == 202 ? 0 : 1;
  }
}
