package dev.relay.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.testkit.NpmInstall;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One stock {@code socket.io-client} (src/test/node/client.js) in a Node process: commands go to
 * its stdin as JSON lines, what it observes comes back as JSON lines. Every wait is bounded.
 * Installs the pinned npm packages ({@code npm ci}) on first use when {@code node_modules} is
 * missing.
 */
final class NodeClient implements AutoCloseable {

  static final Path HARNESS = Path.of("src/test/node").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final List<JsonNode> seen = new ArrayList<>();

  private NodeClient(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "node-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a client for {@code url} with {@code token} (null: none) and the given transports. */
  static NodeClient start(String url, String token, String transports) {
    return start(url, token, transports, Map.of());
  }

  static NodeClient start(String url, String token, String transports, Map<String, String> env) {
    installOnce();
    ProcessBuilder pb = new ProcessBuilder("node", "client.js").directory(HARNESS.toFile());
    pb.environment().put("URL", url);
    if (token != null) {
      pb.environment().put("TOKEN", token);
    }
    pb.environment().put("TRANSPORTS", transports);
    pb.environment().putAll(env);
    // Never inherit the test JVM's streams: they are the Failsafe fork's channel.
    pb.redirectError(ProcessBuilder.Redirect.appendTo(new File("target/node-client.err.log")));
    try {
      NodeClient client = new NodeClient(pb.start());
      client.expect("started");
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void installOnce() {
    NpmInstall.ensure(HARNESS, "socket.io-client", Map.of());
  }

  /** The next line reporting {@code on}, skipping others (kept in {@link #seen()}). */
  JsonNode expect(String on) {
    return expect(on, line -> true);
  }

  JsonNode expect(String on, Predicate<JsonNode> match) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode line;
      try {
        line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (line == null) {
        throw new AssertionError("no '" + on + "' within " + WAIT + "; seen " + seen);
      }
      seen.add(line);
      if (on.equals(line.path("on").asText()) && match.test(line)) {
        return line;
      }
    }
  }

  /**
   * The event with envelope id {@code id}, whether it already went by (a publisher's own event may
   * arrive before the ack of its publish) or is still to come.
   */
  JsonNode eventWithId(String id) {
    for (JsonNode line : seen) {
      if ("event".equals(line.path("on").asText())
          && id.equals(line.path("envelope").path("id").asText())) {
        return line;
      }
    }
    return expect("event", line -> id.equals(line.path("envelope").path("id").asText()));
  }

  /** The next {@code n} events' envelopes. */
  List<JsonNode> events(int n) {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(expect("event"));
    }
    return events;
  }

  /** Emits {@code name} with {@code arg} and returns the ack reply. */
  JsonNode request(String name, Map<String, ?> arg) {
    String ref = "r" + System.nanoTime();
    ObjectNode cmd = JSON.createObjectNode().put("cmd", "emit").put("name", name).put("ref", ref);
    cmd.set("arg", JSON.valueToTree(arg));
    send(cmd.toString());
    JsonNode ack = expect("ack", line -> ref.equals(line.path("ref").asText()));
    assertThat(ack.path("reply").has("timeout")).as("ack of %s timed out", name).isFalse();
    return ack.get("reply");
  }

  void command(String cmd) {
    send("{\"cmd\":\"" + cmd + "\"}");
  }

  /** Every line read so far that matched no expectation yet or was skipped. */
  List<JsonNode> seen() {
    return seen;
  }

  /** Nothing reported for a short bounded time except what {@code allowed} accepts. */
  void expectNoEvent(Duration within) {
    try {
      JsonNode line = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        assertThat(line.path("on").asText()).as("unexpected %s", line).isNotEqualTo("event");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      send("{\"cmd\":\"exit\"}");
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (RuntimeException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
