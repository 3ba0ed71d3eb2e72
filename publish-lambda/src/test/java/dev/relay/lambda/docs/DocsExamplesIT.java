package dev.relay.lambda.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.service.ServiceMain;
import dev.relay.testkit.TestRedis;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JavaScript examples in {@code docs/examples} work as documented, run by Node.js: the Forge
 * publisher's HMAC-signed publish is accepted (202) by a real publish-api on a real Redis and a
 * repeat of its nonce is a duplicate; the minted token is an HS256 JWT with the claims the gateway
 * requires, signed with the first secret; the streamed reply's 22 tokens and completion are one
 * accepted stream, and the room's history holds the whole reply. The publish-api runs in dev mode,
 * which also serves {@code GET /openapi}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsExamplesIT {

  private static final String KEY = "docs-example-key-0123456789abcdefghijklmn";
  private static final String SECRET = "docs-example-secret-0123456789abcdefghijkl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApplicationContext publishApi;
  private String url;

  @BeforeAll
  void start() {
    ServiceMain.Role role =
        new ServiceMain.Role(
            "publish-api",
            0,
            Map.of(
                "relay.publish.enabled",
                "true",
                "relay.dev-mode",
                "true",
                "redis.url",
                TestRedis.url(),
                "relay.api.key",
                KEY));
    publishApi =
        ServiceMain.start(new String[0], role, name -> null, new PrintStream(System.err))
            .orElseThrow();
    url = "http://127.0.0.1:" + publishApi.getBean(EmbeddedServer.class).getPort();
  }

  @AfterAll
  void stop() {
    publishApi.close();
  }

  @Test
  void forgePublisherIsAcceptedAndItsNonceMakesRetriesSafe() throws Exception {
    String session = "docs-" + UUID.randomUUID();
    Map<String, String> env =
        Map.of(
            "RELAY_URL", url,
            "RELAY_API_KEY", KEY,
            "RELAY_SESSION", session,
            "RELAY_NONCE", "vote-" + UUID.randomUUID());

    JsonNode first = JSON.readTree(node(env, "docs/examples/forge-publisher.js"));
    JsonNode again = JSON.readTree(node(env, "docs/examples/forge-publisher.js"));

    assertThat(first.get("room").asText()).isEqualTo("session:" + session);
    assertThat(first.get("duplicate").asBoolean()).isFalse();
    assertThat(again.get("id")).isEqualTo(first.get("id"));
    assertThat(again.get("duplicate").asBoolean()).isTrue();
  }

  @Test
  void streamReplyPipesTheFakeModelIntoOneStreamAndTheRoomKeepsTheWholeReply() throws Exception {
    String conversation = "docs-" + UUID.randomUUID();

    String answer =
        node(
                Map.of("RELAY_URL", url, "RELAY_API_KEY", KEY),
                "docs/examples/stream-reply.mjs",
                conversation)
            .strip();

    assertThat(answer).isEqualTo("200 {\"accepted\":23,\"rejected\":[]}");
    java.net.http.HttpResponse<String> history =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            url + "/v1/rooms/conversation:" + conversation + "/history?limit=5"))
                    .header("Authorization", "Bearer " + KEY)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    JsonNode events = JSON.readTree(history.body()).get("events");
    assertThat(events).as("deltas are volatile: only the completion is history").hasSize(1);
    assertThat(events.get(0).get("type").asText()).isEqualTo("message.completed");
    assertThat(events.get(0).at("/payload/content").asText())
        .isEqualTo(
            "Risk no more than one percent of your account on a single trade, "
                + "and decide where you are wrong before you enter.");
  }

  @Test
  void devModeServesTheCommittedOpenApiDocument() throws Exception {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/openapi")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(java.nio.file.Files.readString(DocsFiles.root().resolve("docs/openapi.yaml")));
  }

  @Test
  void mintedTokenIsAnHs256JwtWithTheRequiredClaims() throws Exception {
    String token =
        node(
                Map.of("JWT_SIGNING_SECRET", SECRET + ",second-secret-0123456789abcdefghijklmn"),
                "docs/examples/mint-token.js",
                "--sub",
                "acct-123",
                "--session",
                "abc-123",
                "--scope",
                "subscribe,publish")
            .strip();

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    Base64.Decoder b64 = Base64.getUrlDecoder();
    assertThat(JSON.readTree(b64.decode(parts[0])).get("alg").asText()).isEqualTo("HS256");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.UTF_8));
    assertThat(MessageDigest.isEqual(expected, b64.decode(parts[2]))).isTrue();
    JsonNode claims = JSON.readTree(b64.decode(parts[1]));
    assertThat(claims.get("sub").asText()).isEqualTo("acct-123");
    assertThat(claims.get("sessionId").asText()).isEqualTo("abc-123");
    assertThat(claims.get("scope").toString()).isEqualTo("[\"subscribe\",\"publish\"]");
    long iat = claims.get("iat").asLong();
    assertThat(claims.get("exp").asLong() - iat).isBetween(1L, 300L);
    assertThat(iat)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    assertThat(claims.get("jti").asText()).isNotBlank();
  }

  /** Runs {@code node script args…} from the repository root; answers its stdout. */
  private static String node(Map<String, String> env, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(DocsFiles.root().toFile());
    builder.environment().putAll(env);
    // Never inherit the test JVM's streams: they are the Failsafe fork's channel.
    builder.redirectError(
        ProcessBuilder.Redirect.appendTo(new java.io.File("target/node.err.log")));
    Process process = builder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(process.exitValue()).as("node " + script + " exit code").isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
