package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with separate services, as deployed: HTTP publish to publish-api → Redis Streams →
 * gateway → WebSocket client (SPEC §2, §3, §5).
 */
class PublishToGatewayIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApplicationContext publishApi;
  private static ApplicationContext gateway;
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));

  @BeforeAll
  static void start() {
    publishApi = Services.publishApi(TestRedis.url());
    gateway = Services.gateway(TestRedis.url());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    publishApi.close();
  }

  private static WsTestClient subscriber(String sub, String session) {
    URI g = Services.uri(gateway);
    String token =
        SIGNER.connectionToken(sub, session, List.of(), List.of(), Duration.ofSeconds(60));
    WsTestClient client =
        WsTestClient.connect(
            "ws://" + g.getHost() + ":" + g.getPort() + "/realtime?token=" + token);
    client.expect("welcome");
    return client;
  }

  private static HttpResponse<String> publish(String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(Services.uri(publishApi).resolve("/v1/events"))
            .header("Authorization", "Bearer " + Services.API_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHiddenVoteWithoutTimestampIsAcceptedAndCarriesIssuedAtEqualToPublishedAt()
      throws Exception {
    String session = "h-" + UUID.randomUUID();
    try (WsTestClient alice = subscriber("alice", session)) {
      HttpResponse<String> answer =
          publish(
              "{\"sessionId\":\""
                  + session
                  + "\",\"event\":\"vote.cast\","
                  + "\"payload\":{\"issueKey\":\"SCRUM-2\",\"participantId\":\"acct-9\"}}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

      JsonNode event = alice.expectEvents(1).get(0);
      assertThat(event.get("payload").has("value")).isFalse();
      assertThat(event.get("publishedAt").asText()).isNotBlank();
      assertThat(event.get("issuedAt").asText()).isEqualTo(event.get("publishedAt").asText());
    }
  }

  @Test
  void anEventPublishedOverHttpReachesTheSessionsSubscribersWithEveryEnvelopeField()
      throws Exception {
    String session = "s-" + UUID.randomUUID();
    String other = "o-" + UUID.randomUUID();
    try (WsTestClient alice = subscriber("alice", session);
        WsTestClient bob = subscriber("bob", session);
        WsTestClient outsider = subscriber("eve", other)) {
      HttpResponse<String> answer =
          publish(
              "{\"sessionId\":\""
                  + session
                  + "\",\"event\":\"vote.cast\","
                  + "\"payload\":{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-123\"},"
                  + "\"nonce\":\"n-1\",\"timestamp\":\"2024-05-01T10:00:00Z\"}");
      assertThat(answer.statusCode()).isEqualTo(202);
      JsonNode accepted = JSON.readTree(answer.body());
      assertThat(accepted.get("room").asText()).isEqualTo("session:" + session);
      assertThat(accepted.get("duplicate").asBoolean()).isFalse();

      for (WsTestClient client : List.of(alice, bob)) {
        JsonNode event = client.expectEvents(1).get(0);
        assertThat(event.get("v").asInt()).isEqualTo(1);
        assertThat(event.get("id").asText()).isEqualTo(accepted.get("id").asText());
        assertThat(event.get("room").asText()).isEqualTo("session:" + session);
        assertThat(event.get("type").asText()).isEqualTo("vote.cast");
        assertThat(event.get("payload").get("participantId").asText()).isEqualTo("acct-123");
        assertThat(event.get("issuedAt").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(event.get("publishedAt").asText()).isNotBlank();
        assertThat(event.get("nonce").asText()).isEqualTo("n-1");
      }
      outsider.expectNothing(Duration.ofMillis(300));

      HttpResponse<String> again =
          publish(
              "{\"sessionId\":\""
                  + session
                  + "\",\"event\":\"vote.cast\","
                  + "\"payload\":{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-123\"},"
                  + "\"nonce\":\"n-1\"}");
      assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
      alice.expectNothing(Duration.ofMillis(300));
    }
  }
}
