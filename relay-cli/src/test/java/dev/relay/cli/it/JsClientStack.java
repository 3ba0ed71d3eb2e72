package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.RedisProcess;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the JS client's browser tests run against: their own {@link RedisProcess}, an in-JVM
 * publish-api on it, a gateway as a separate process (so it can be SIGKILLed and restarted on the
 * same port) that allows the test page's origin, and the page itself.
 */
final class JsClientStack implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  final RedisProcess redis;
  final ApplicationContext publishApi;
  final BrowserBridge page;
  private final int port = Services.freePort();
  private final Map<String, String> env;
  private Process gateway;
  private int restarts;

  JsClientStack() {
    redis = RedisProcess.start();
    publishApi =
        Services.publishApi(redis.url(), Map.of("relay.publish.limit.per.room", "100000/s"));
    env = new HashMap<>();
    env.put("REDIS_URL", redis.url());
    env.put("RELAY_ALLOWED_ORIGINS", BrowserBridge.ORIGIN);
    // A reconnecting page asks again and again while a gateway restarts.
    env.put("RELAY_CONNECT_LIMIT_PER_SUB", "1000/min");
    startGateway();
    page = BrowserBridge.start(Services.SECRET);
  }

  /** The gateway's base URL, as an app passes it to {@code new RelayClient(url, …)}. */
  String gatewayUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILLs the gateway and waits for it to be gone. */
  void killGateway() throws InterruptedException {
    gateway.destroyForcibly();
    assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Starts a new gateway process (same port, same settings) and waits until it is ready. */
  void restartGateway() {
    startGateway();
  }

  /** Publishes a {@code task.updated} through publish-api; returns its event id. */
  String publish(String room, String taskId) throws Exception {
    var answer =
        Http.publish(
            Services.uri(publishApi),
            "{\"room\":\""
                + room
                + "\",\"event\":\"task.updated\",\"payload\":{\"taskId\":\""
                + taskId
                + "\",\"teamId\":\"t\"}}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    return JSON.readTree(answer.body()).get("id").asText();
  }

  /**
   * Waits up to 60 s for {@code count} events of {@code room} in the page, then checks no more
   * came.
   */
  void awaitReceived(String room, int count) {
    String length = "t.received['" + room + "'].length";
    await(count + " events in the page")
        .atMost(Duration.ofSeconds(60))
        .until(() -> page.eval(length).asInt() >= count);
    assertThat(page.eval(length).asInt()).isEqualTo(count);
  }

  /** The ids of the events of {@code room} the page received, in the order it received them. */
  List<String> receivedIds(String room) {
    List<String> ids = new ArrayList<>();
    page.eval("t.received['" + room + "']").forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }

  private void startGateway() {
    gateway = Services.gatewayProcess(port, "js-client-gateway-" + restarts++ + ".log", env);
    URI uri = URI.create(gatewayUrl());
    await("gateway ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> Http.get(uri.resolve("/readyz"), null).statusCode() == 200);
  }

  @Override
  public void close() {
    Services.closeAll(page, () -> gateway.destroyForcibly(), publishApi, redis);
  }
}
