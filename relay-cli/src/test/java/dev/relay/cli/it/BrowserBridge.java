package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.testkit.NpmInstall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One headless chromium page running the built {@code @relay-realtime/client} bundle ({@code
 * clients/js/dist/index.js}), driven through {@code src/test/browser/js-client-bridge.mjs}: {@link
 * #eval} evaluates an expression in the page (awaiting a promise) and returns its JSON value. The
 * page comes from a local server on a free loopback port: gateways under test must allow {@link
 * #ORIGIN}. Requests are answered in order; not thread-safe (one test thread).
 */
final class BrowserBridge implements AutoCloseable {

  /** The page's origin, as {@code RELAY_ALLOWED_ORIGINS} must list it: a local server's. */
  static final String ORIGIN = "http://127.0.0.1:*";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HARNESS = Path.of("src/test/browser").toAbsolutePath();
  private static final Path BUNDLE =
      Path.of("..", "clients", "js", "dist", "index.js").toAbsolutePath().normalize();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private final Process node;
  private final Writer stdin;
  private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
  private final Deque<String> log = new ArrayDeque<>();
  private int nextId;

  private BrowserBridge(Process node) {
    this.node = node;
    this.stdin = node.outputWriter(StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "browser-bridge");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts chromium with the page loaded; fails (never skips) without chromium or the bundle. */
  static BrowserBridge start(String jwtSecret) {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("%s is missing: install Debian's chromium (apt-get install -y chromium)", CHROMIUM)
        .isTrue();
    assertThat(Files.isRegularFile(BUNDLE))
        .as("%s is missing: build the JS client first (./mvnw install -pl clients/js)", BUNDLE)
        .isTrue();
    NpmInstall.ensure(HARNESS, "playwright-core", Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
    try {
      Process node =
          new ProcessBuilder(List.of("node", "js-client-bridge.mjs", BUNDLE.toString(), jwtSecret))
              .directory(HARNESS.toFile())
              .redirectErrorStream(true)
              .start();
      BrowserBridge bridge = new BrowserBridge(node);
      bridge.eval("window.ready");
      return bridge;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON value of {@code expression} in the page (a promise is awaited), within 30 s. */
  JsonNode eval(String expression) {
    ObjectNode request = JSON.createObjectNode().put("js", expression);
    return send(request);
  }

  /** Every later WebSocket to {@code /realtime} is closed at once, as a refusing proxy would. */
  void blockWebSocket() {
    send(JSON.createObjectNode().put("block", "websocket"));
  }

  private JsonNode send(ObjectNode request) {
    request.put("id", ++nextId);
    try {
      stdin.write(request + "\n");
      stdin.flush();
      JsonNode reply = replies.poll(30, TimeUnit.SECONDS);
      assertThat(reply).as("no answer from the browser within 30 s:%n%s", log()).isNotNull();
      assertThat(reply.get("id").asInt()).isEqualTo(nextId);
      assertThat(reply.get("ok").asBoolean())
          .as("%s failed in the page: %s%n%s", request, reply.path("error").asText(), log())
          .isTrue();
      return reply.get("value");
    } catch (IOException e) {
      throw new UncheckedIOException("browser bridge is gone:\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The bridge's last 200 lines of other output (page errors, console), for failure messages. */
  synchronized String log() {
    return String.join("\n", log);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{\"id\":")) {
          replies.add(JSON.readTree(line));
        } else {
          synchronized (this) {
            log.addLast(line);
            if (log.size() > 200) {
              log.removeFirst();
            }
          }
        }
      }
    } catch (IOException e) {
      // the process ended; send() reports the missing answer
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    if (!node.waitFor(20, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
  }
}
