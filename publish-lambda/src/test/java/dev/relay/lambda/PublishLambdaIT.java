package dev.relay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.testkit.TestRedis;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * publish-api as a Lambda: the real handler, fed API Gateway HTTP API (payload 2.0) events, against
 * a real Redis. Proves the Lambda path answers exactly like the HTTP service: 202 with the event
 * durably in the room's stream, 401 problem details for a bad key, HMAC signatures, and idempotency
 * by nonce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishLambdaIT {

  private static final String KEY = "lambda-test-key-0123456789abcdefghijklmnop";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PublishLambdaHandler handler;
  private RedisClient redisClient;
  private StatefulRedisConnection<String, String> redis;

  @BeforeAll
  void start() {
    handler =
        new PublishLambdaHandler(
            PublishLambdaHandler.contextBuilder()
                .properties(Map.of("redis.url", TestRedis.url(), "relay.api.key", KEY))
                .start());
    redisClient = RedisClient.create(TestRedis.url());
    redis = redisClient.connect();
  }

  @AfterAll
  void stop() {
    handler.close();
    redis.close();
    redisClient.shutdown();
  }

  @Test
  void validBearerPublishIsAcceptedAndInTheStream() throws Exception {
    String session = "lambda-" + UUID.randomUUID();
    APIGatewayV2HTTPResponse response =
        handler.handleRequest(
            event("/v1/events", body(session, null), Map.of("authorization", "Bearer " + KEY)),
            new MockLambdaContext());

    assertThat(response.getStatusCode()).isEqualTo(202);
    JsonNode answer = JSON.readTree(response.getBody());
    assertThat(answer.get("room").asText()).isEqualTo("session:" + session);
    assertThat(answer.get("duplicate").asBoolean()).isFalse();
    String stream = RedisKeyLayout.roomStream("session:" + session);
    assertThat(redis.sync().xrange(stream, Range.unbounded()))
        .singleElement()
        .satisfies(m -> assertThat(String.join(" ", m.getBody().values())).contains(session));
  }

  @Test
  void badKeyIsRefusedWith401ProblemDetails() throws Exception {
    APIGatewayV2HTTPResponse response =
        handler.handleRequest(
            event(
                "/v1/events",
                body("lambda-bad", null),
                Map.of("authorization", "Bearer not-the-key-0123456789abcdefghijklmnop")),
            new MockLambdaContext());

    assertThat(response.getStatusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.getBody()).get("code").asText()).isEqualTo("unauthorized");
  }

  @Test
  void openApiRouteIsOffOutsideDevMode() {
    APIGatewayV2HTTPEvent get = event("/openapi", null, Map.of());
    get.getRequestContext().getHttp().setMethod("GET");

    assertThat(handler.handleRequest(get, new MockLambdaContext()).getStatusCode()).isEqualTo(404);
  }

  @Test
  void hmacSignedRepeatOfANonceIsADuplicateWithTheFirstId() throws Exception {
    String body = body("lambda-" + UUID.randomUUID(), "n-" + UUID.randomUUID());
    APIGatewayV2HTTPResponse first =
        handler.handleRequest(
            event("/events", body, Map.of("x-relay-signature", signature(body))),
            new MockLambdaContext());
    APIGatewayV2HTTPResponse again =
        handler.handleRequest(
            event("/events", body, Map.of("x-relay-signature", signature(body))),
            new MockLambdaContext());

    assertThat(first.getStatusCode()).isEqualTo(202);
    assertThat(again.getStatusCode()).isEqualTo(202);
    JsonNode firstAnswer = JSON.readTree(first.getBody());
    JsonNode againAnswer = JSON.readTree(again.getBody());
    assertThat(againAnswer.get("id")).isEqualTo(firstAnswer.get("id"));
    assertThat(againAnswer.get("duplicate").asBoolean()).isTrue();
  }

  private static String body(String session, String nonce) {
    return "{\"sessionId\":\""
        + session
        + "\",\"event\":\"vote.cast\",\"payload\":{\"issueKey\":\"SCRUM-1\",\"value\":\"5\","
        + "\"participantId\":\"acct-1\"}"
        + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"")
        + "}";
  }

  private static String signature(String body) throws Exception {
    long t = Instant.now().getEpochSecond();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
  }

  /** What API Gateway's HTTP API sends for {@code POST path} (payload format 2.0). */
  static APIGatewayV2HTTPEvent event(String path, String body, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("content-type", "application/json");
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(path)
        .withHeaders(all)
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod("POST")
                        .withPath(path)
                        .withProtocol("HTTP/1.1")
                        .withSourceIp("203.0.113.7")
                        .build())
                .build())
        .build();
  }
}
