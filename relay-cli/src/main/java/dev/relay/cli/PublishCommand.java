package dev.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./relay publish}: publishes one event through publish-api, as a backend would. Prints
 * {@code 202 <answer>} on success; any refusal is one line on stderr with the status and the
 * problem's code and detail (exit 1), bad input is refused before anything is sent (exit 2).
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Publishes one event with RELAY_API_KEY (from the environment or the running ./relay dev).")
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
      description = "publish-api base URL (default RELAY_URL, the running ./relay dev, or :8080).")
  String url;

  @Override
  public Integer call() throws JsonProcessingException {
    String room = target.room();
    ObjectNode body = JSON.createObjectNode();
    if (target.session != null) {
      body.put("sessionId", target.session);
    } else {
      body.put("room", room);
    }
    body.put("event", event);
    body.set("payload", payload(payload));
    if (nonce != null) {
      body.put("nonce", nonce);
    }
    CliConfig config = CliConfig.load();
    String key = config.require("RELAY_API_KEY").split(",")[0].strip();
    String base = url != null ? url : config.publishUrl();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response = RelayHttp.send("publish-api", base, request);
    if (response.statusCode() != 202) {
      throw CliError.failure("publish-api refused the event: " + refusal(response));
    }
    System.out.println(response.statusCode() + " " + response.body());
    return 0;
  }

  private static JsonNode payload(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw CliError.usage("--payload is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw CliError.usage("--payload must be a JSON object, e.g. '{\"issueKey\":\"SCRUM-1\"}'");
    }
    return node;
  }

  /** {@code 400 invalid_request: <detail>} from a problem answer, else the status and body. */
  private static String refusal(HttpResponse<String> response) {
    try {
      JsonNode problem = JSON.readTree(response.body());
      if (problem != null && problem.has("code")) {
        return response.statusCode()
            + " "
            + problem.path("code").asText()
            + (problem.has("detail") ? ": " + problem.path("detail").asText() : "");
      }
    } catch (JsonProcessingException e) {
      // not a problem document: show the raw answer below
    }
    String raw = response.body().strip();
    return response.statusCode() + (raw.isEmpty() ? "" : " " + raw);
  }
}
