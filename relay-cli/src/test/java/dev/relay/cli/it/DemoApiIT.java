package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's stand-in backend ({@code /demo/api/*} of {@code ./relay dev}) against malformed,
 * oversized, slow and hostile requests: each gets a problem with a stable code, never a 500, and a
 * forged identity or an over-long name never reaches a token.
 */
class DemoApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static DevServer dev;

  @BeforeAll
  static void start() throws IOException {
    dev = DevServer.start(Map.of("RELAY_REQUEST_TIMEOUT", "1s"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    dev.close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(dev.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode claims(String jwt) throws IOException {
    return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  @Test
  void joinKeepsAMintedIdentityAndRefusesAForgedOne() throws Exception {
    JsonNode first = JSON.readTree(post("/demo/api/join", "{\"name\":\"Ada\"}").body());
    String id = first.get("participantId").asText();
    assertThat(id).matches("demo-[0-9a-f]{8}");
    assertThat(first.get("issueKey").asText()).isEqualTo("DEMO-1");
    JsonNode token = claims(first.get("token").asText());
    assertThat(token.get("sub").asText()).isEqualTo(id);
    assertThat(token.get("info")).isEqualTo(JSON.readTree("{\"name\":\"Ada\"}"));
    assertThat(token.has("sessionId")).isFalse();
    JsonNode roomToken = claims(first.get("roomToken").asText());
    assertThat(roomToken.get("room").asText()).isEqualTo("session:demo");

    JsonNode again =
        JSON.readTree(
            post("/demo/api/join", "{\"name\":\"Ada\",\"participantId\":\"" + id + "\"}").body());
    assertThat(again.get("participantId").asText()).isEqualTo(id);

    for (String forged : new String[] {"dev-user", "demo-1", "demo-0123456789", "\"}\u0000"}) {
      JsonNode answer =
          JSON.readTree(
              post(
                      "/demo/api/join",
                      JSON.writeValueAsString(Map.of("name", "x", "participantId", forged)))
                  .body());
      assertThat(answer.get("participantId").asText()).isNotEqualTo(forged).matches("demo-.*");
    }
  }

  @Test
  void aLongNameIsCutAndAHostileSessionFallsBackToTheDemoSession() throws Exception {
    JsonNode answer =
        JSON.readTree(
            post(
                    "/demo/api/join",
                    JSON.writeValueAsString(
                        Map.of("name", "N".repeat(5000), "session", "../../admin")))
                .body());
    assertThat(answer.get("name").asText()).hasSize(40);
    assertThat(answer.get("room").asText()).isEqualTo("session:demo");
  }

  @Test
  void malformedAndOversizedBodiesAreProblems() throws Exception {
    HttpResponse<String> malformed = post("/demo/api/join", "{\"name\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(malformed.body()).get("code").asText()).isEqualTo("invalid_request");

    HttpResponse<String> oversized =
        post("/demo/api/vote", "{\"name\":\"" + "x".repeat(200_000) + "\"}");
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(oversized.body()).get("code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void aBodyThatTricklesInIs408() throws IOException {
    try (Socket socket = new Socket("localhost", URI.create(dev.url()).getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /demo/api/join HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"name\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
    }
  }

  @Test
  void votesAreCheckedAndAStaleIssueIsAConflict() throws Exception {
    String id =
        JSON.readTree(post("/demo/api/join", "{\"name\":\"Bo\",\"session\":\"api-votes\"}").body())
            .get("participantId")
            .asText();
    String vote =
        "{\"session\":\"api-votes\",\"issueKey\":\"DEMO-1\",\"participantId\":\""
            + id
            + "\",\"name\":\"Bo\",\"value\":\"%s\"}";

    HttpResponse<String> notACard = post("/demo/api/vote", vote.formatted("100"));
    assertThat(notACard.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(notACard.body()).get("field").asText()).isEqualTo("value");

    HttpResponse<String> noId =
        post(
            "/demo/api/vote",
            "{\"session\":\"api-votes\",\"issueKey\":\"DEMO-1\",\"value\":\"5\"}");
    assertThat(JSON.readTree(noId.body()).get("field").asText()).isEqualTo("participantId");

    HttpResponse<String> cast = post("/demo/api/vote", vote.formatted("5"));
    assertThat(cast.statusCode()).isEqualTo(202);

    assertThat(
            post("/demo/api/advance", "{\"session\":\"api-votes\",\"issueKey\":\"DEMO-1\"}")
                .statusCode())
        .isEqualTo(202);
    HttpResponse<String> stale = post("/demo/api/vote", vote.formatted("8"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(stale.body()).get("detail").asText())
        .isEqualTo("DEMO-1 is not being estimated any more (now DEMO-2)");
    assertThat(
            post("/demo/api/advance", "{\"session\":\"api-votes\",\"issueKey\":\"DEMO-1\"}")
                .statusCode())
        .as("a second click on Next issue")
        .isEqualTo(409);
  }
}
