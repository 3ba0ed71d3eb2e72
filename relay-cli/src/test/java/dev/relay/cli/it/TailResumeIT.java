package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testkit.TestRedis;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./relay tail} survives gateway restarts: one drained with SIGTERM (close 1001) and one
 * killed with SIGKILL (the connection just drops), with events published while the gateway is down.
 * Tail must print every accepted event exactly once, in publish order: no gap, no duplicate.
 */
class TailResumeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> processes = new ArrayList<>();
  private ApplicationContext publishApi;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    Services.closeAll(publishApi);
  }

  @Test
  void tailResumesAfterTheLastPrintedEventAcrossGatewayRestarts() throws Exception {
    publishApi = Services.publishApi(TestRedis.url());
    URI publish = Services.uri(publishApi);
    int port = Services.freePort();
    String session = "tail-" + System.nanoTime();
    Process gateway = startGateway(port, "tail-gateway-1.log");

    Process tail =
        new RelayRun(Files.createTempDirectory("relay-tail-state"))
            .with("RELAY_GATEWAY_URL", "http://127.0.0.1:" + port)
            .with("JWT_SIGNING_SECRET", Services.SECRET)
            .start("tail", "--session", session);
    processes.add(tail);
    List<String> printed = RelayRun.lines(tail.getInputStream());
    List<String> notes = RelayRun.lines(tail.getErrorStream());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> notes.stream().anyMatch(l -> l.contains("tailing")));

    List<String> published = new ArrayList<>();
    publishSome(publish, session, 5, published);
    awaitPrinted(printed, published);

    gateway.destroy(); // SIGTERM: drained, tail sees 1001
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    publishSome(publish, session, 5, published);
    gateway = startGateway(port, "tail-gateway-2.log");
    publishSome(publish, session, 5, published);
    awaitPrinted(printed, published);

    gateway.destroyForcibly(); // SIGKILL: no close frame at all
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    publishSome(publish, session, 5, published);
    startGateway(port, "tail-gateway-3.log");
    publishSome(publish, session, 5, published);
    awaitPrinted(printed, published);

    assertThat(notes).anyMatch(l -> l.contains("closed 1001"));
    assertThat(notes).noneMatch(l -> l.contains("could not resume"));
    assertThat(tail.isAlive()).isTrue();
  }

  private Process startGateway(int port, String log) {
    Process gateway = Services.gatewayProcess(port, log, Map.of());
    processes.add(gateway);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return gateway;
  }

  private static void publishSome(URI publish, String session, int n, List<String> ids)
      throws IOException {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> response =
          Http.publish(
              publish,
              "{\"sessionId\":\""
                  + session
                  + "\",\"event\":\"votes.revealed\",\"payload\":{\"issueKey\":\"T-"
                  + ids.size()
                  + "\"}}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      ids.add(JSON.readTree(response.body()).get("id").asText());
    }
  }

  /** Waits until tail printed exactly the published ids, in order. */
  private static void awaitPrinted(List<String> printed, List<String> published) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(ids(printed)).containsExactlyElementsOf(published));
  }

  private static List<String> ids(List<String> lines) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      ids.add(JSON.readTree(line).get("id").asText());
    }
    return ids;
  }
}
