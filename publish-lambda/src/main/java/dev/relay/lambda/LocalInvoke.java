package dev.relay.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.function.aws.proxy.MockLambdaContext;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Invokes {@link PublishLambdaHandler} once, in this JVM, the way the Lambda runtime does on a cold
 * start: handler construction (context start, configuration checks) and then one API Gateway HTTP
 * API event {@code POST /v1/events} with a Bearer key. Prints the status, the body and the
 * milliseconds from JVM start to the answer and the CPU time spent, for {@code
 * docs/perf-tests/startup.md}.
 *
 * <p>Usage: {@code REDIS_URL=… RELAY_API_KEY=… java -cp publish-lambda.jar
 * dev.relay.lambda.LocalInvoke '<json body>'}. The key sent is the first of {@code RELAY_API_KEY}.
 * Exits 0 on a 2xx answer, 1 otherwise.
 */
public final class LocalInvoke {

  private LocalInvoke() {}

  public static void main(String[] args) {
    String body = args.length > 0 ? args[0] : defaultBody();
    String key = System.getenv().getOrDefault("RELAY_API_KEY", "").split(",")[0].strip();
    long constructed;
    APIGatewayV2HTTPResponse response;
    try (PublishLambdaHandler handler = new PublishLambdaHandler()) {
      constructed = sinceJvmStart();
      response = handler.handleRequest(event(body, key), new MockLambdaContext());
    }
    long answered = sinceJvmStart();
    System.out.println(
        "status="
            + response.getStatusCode()
            + " init_ms="
            + constructed
            + " first_answer_ms="
            + answered
            + " cpu_ms="
            + cpuMillis()
            + " body="
            + response.getBody());
    System.exit(response.getStatusCode() / 100 == 2 ? 0 : 1);
  }

  private static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** CPU time of the whole process so far (all threads), less sensitive to a busy machine. */
  private static long cpuMillis() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }

  private static String defaultBody() {
    return "{\"sessionId\":\"cold-start\",\"event\":\"vote.cast\",\"payload\":"
        + "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-1\"}}";
  }

  private static APIGatewayV2HTTPEvent event(String body, String key) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath("/v1/events")
        .withHeaders(Map.of("content-type", "application/json", "authorization", "Bearer " + key))
        .withBody(body)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(
                    APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod("POST")
                        .withPath("/v1/events")
                        .withProtocol("HTTP/1.1")
                        .withSourceIp("127.0.0.1")
                        .build())
                .build())
        .build();
  }
}
