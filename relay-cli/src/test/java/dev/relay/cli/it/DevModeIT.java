package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testkit.WsTestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ./relay dev} the way a newcomer does — no Redis, no environment variables — then
 * publishes with the printed API key, receives with the printed token, and uses {@code ./relay
 * publish} and {@code ./relay tail} from "another terminal".
 */
class DevModeIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private Process dev;
  private Process tail;

  @AfterEach
  void stop() throws InterruptedException {
    if (tail != null) {
      tail.destroyForcibly(); // a failed assertion must not leave a tail running
    }
    if (dev != null) {
      dev.destroy();
      if (!dev.waitFor(20, TimeUnit.SECONDS)) {
        dev.destroyForcibly();
      }
    }
  }

  @Test
  void newcomerPublishesWithThePrintedKeyAndReceivesWithThePrintedToken() throws Exception {
    Path state = Files.createTempDirectory("relay-dev-state");
    int port = freePort();
    dev = relay(state, port, "dev").start();
    Map<String, String> printed = readBanner(dev);
    String apiKey = printed.get("API key");
    String token = printed.get("token");
    assertThat(apiKey).isNotBlank();
    assertThat(token).isNotBlank();
    assertThat(Files.readString(state.resolve("dev-" + port + ".env")))
        .contains("RELAY_API_KEY=" + apiKey);

    try (WsTestClient browser =
        WsTestClient.connect("ws://localhost:" + port + "/realtime?token=" + token)) {
      JsonNode welcome = browser.expect("welcome");
      assertThat(welcome.get("sub").asText()).isEqualTo("dev-user");
      assertThat(welcome.get("rooms").get(0).asText()).isEqualTo("session:demo");

      HttpResponse<String> published =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/events"))
                      .header("Authorization", "Bearer " + apiKey)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"sessionId\":\"demo\",\"event\":\"votes.revealed\",\"payload\":{\"issueKey\":\"SCRUM-1\"}}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).isEqualTo(202);
      assertThat(browser.expectEvent("votes.revealed").get("payload").get("issueKey").asText())
          .isEqualTo("SCRUM-1");

      tail = relay(state, port, "tail", "--session", "demo", "--count", "1").start();
      assertThat(firstLine(tail.getErrorStream()).get(30, TimeUnit.SECONDS))
          .startsWith("tail: tailing");
      CompletableFuture<String> tailed = firstLine(tail.getInputStream());
      Process publish =
          relay(
                  state,
                  port,
                  "publish",
                  "--session",
                  "demo",
                  "--event",
                  "vote.cast",
                  "--payload",
                  "{\"issueKey\":\"SCRUM-1\",\"value\":\"8\",\"participantId\":\"dev-user\"}")
              .redirectErrorStream(true)
              .start();
      assertThat(publish.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(publish.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("202 ");
      assertThat(browser.expectEvent("vote.cast").get("payload").get("value").asText())
          .isEqualTo("8");
      assertThat(tailed.get(30, TimeUnit.SECONDS)).contains("\"value\":\"8\"");
      assertThat(tail.waitFor(10, TimeUnit.SECONDS)).isTrue();

      // Ctrl-C: the dev drain closes open connections with 1001 within a second (SPEC §1)
      long stopping = System.nanoTime();
      dev.destroy();
      await().atMost(Duration.ofSeconds(1)).until(browser::isClosed);
      assertThat(browser.closeCode()).isEqualTo(1001);
      assertThat(dev.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void demoAnswersBrowsersAndTheRootLeadsThere() throws Exception {
    int port = freePort();
    dev = relay(Files.createTempDirectory("relay-dev-state"), port, "dev").start();
    readBanner(dev);
    HttpClient http = HttpClient.newHttpClient();
    for (String accept : List.of("text/html", "text/html,application/xhtml+xml,*/*;q=0.8")) {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/demo/"))
                  .header("Accept", accept)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).as(accept).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    }
    HttpResponse<String> root =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("Accept", "text/html")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(root.statusCode()).isEqualTo(303);
    assertThat(root.headers().firstValue("Location")).hasValue("/demo/");
  }

  private static ProcessBuilder relay(Path state, int port, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("relay").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k -> k.startsWith("RELAY_") || k.equals("REDIS_URL") || k.equals("JWT_SIGNING_SECRET"));
    env.put("PORT", Integer.toString(port));
    env.put("RELAY_STATE_DIR", state.toString());
    return builder;
  }

  /** Reads the dev banner until the token line; fails after 60 s. */
  private static Map<String, String> readBanner(Process process) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Map<String, String>> banner =
        CompletableFuture.supplyAsync(
            () -> {
              Map<String, String> values = new java.util.HashMap<>();
              try {
                String line;
                while ((line = reader.readLine()) != null) {
                  if (line.startsWith("API key: ")) {
                    values.put("API key", line.substring(9).strip());
                  } else if (line.startsWith("token: ")) {
                    values.put("token", line.substring(7).strip());
                    drain(reader);
                    return values;
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException(
                  "relay dev exited before printing a token: " + values);
            });
    return banner.get(60, TimeUnit.SECONDS);
  }

  private static CompletableFuture<String> firstLine(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))
                .readLine();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static void drain(BufferedReader reader) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // keep the pipe empty so the server never blocks on logging
                }
              } catch (IOException e) {
                // process ended
              }
            });
    t.setDaemon(true);
    t.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
