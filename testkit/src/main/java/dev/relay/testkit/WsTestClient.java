package dev.relay.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A black-box WebSocket test client for the JSON protocol (in the spirit of NATS' protocol tests):
 * {@link #send}, {@link #expect}, {@link #expectNothing}. Every wait is bounded; no sleeps.
 */
public final class WsTestClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket socket;

  private WsTestClient(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to {@code url} (ws://…), optionally with extra headers such as {@code Origin}. */
  public static WsTestClient connect(String url, Map<String, String> headers) {
    return tryConnect(url, headers).join();
  }

  public static WsTestClient connect(String url) {
    return connect(url, Map.of());
  }

  /** Connects, completing exceptionally if the server refuses the upgrade. */
  public static CompletableFuture<WsTestClient> tryConnect(
      String url, Map<String, String> headers) {
    Listener listener = new Listener();
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    headers.forEach(builder::header);
    return builder
        .buildAsync(URI.create(url), listener)
        .thenApply(
            ws -> {
              WsTestClient client = new WsTestClient(ws);
              listener.attach(client);
              return client;
            })
        .orTimeout(10, TimeUnit.SECONDS);
  }

  public WsTestClient send(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  /** Sends a JSON message built from alternating keys and values. */
  public WsTestClient sendJson(Object... keysAndValues) {
    Map<String, Object> message = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      message.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    try {
      return send(JSON.writeValueAsString(message));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The next message, which must have {@code "type":type}; fails after 10 s. */
  public JsonNode expect(String type) {
    return expect(m -> type.equals(m.path("type").asText()), "a message of type " + type);
  }

  /** The next message, which must match; fails after 10 s or on any other message. */
  public JsonNode expect(Predicate<JsonNode> matcher, String description) {
    JsonNode next = next(DEFAULT_WAIT);
    if (next == null) {
      throw new AssertionError("expected " + description + " but got nothing in " + DEFAULT_WAIT);
    }
    if (!matcher.test(next)) {
      throw new AssertionError("expected " + description + " but got " + next);
    }
    return next;
  }

  /**
   * The next {@code types.length} messages, one of each type, in any order (e.g. a publisher's
   * {@code ack} and the echo of its own event race). Keyed by type.
   */
  public Map<String, JsonNode> expectInAnyOrder(String... types) {
    Map<String, JsonNode> seen = new java.util.HashMap<>();
    java.util.Set<String> wanted = new java.util.HashSet<>(List.of(types));
    for (int i = 0; i < types.length; i++) {
      JsonNode next =
          expect(
              m ->
                  wanted.contains(m.path("type").asText())
                      && !seen.containsKey(m.path("type").asText()),
              "one of " + wanted + " not yet seen " + seen.keySet());
      seen.put(next.path("type").asText(), next);
    }
    return seen;
  }

  /** Collects the next {@code count} event envelopes (messages of type {@code event}). */
  public List<JsonNode> expectEvents(int count) {
    List<JsonNode> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(expect("event").get("event"));
    }
    return events;
  }

  /**
   * The next event envelope of {@code type}, skipping {@code presence.*} events (which arrive
   * whenever someone joins or leaves, for connections with the presence scope).
   */
  public JsonNode expectEvent(String type) {
    for (int skipped = 0; skipped < 50; skipped++) {
      JsonNode event = expect("event").get("event");
      String actual = event.path("type").asText();
      if (actual.equals(type)) {
        return event;
      }
      if (!actual.startsWith("presence.")) {
        throw new AssertionError("expected an event of type " + type + " but got " + event);
      }
    }
    throw new AssertionError("only presence events arrived, no " + type);
  }

  /** Asserts that no message arrives within {@code wait}. */
  public void expectNothing(Duration wait) {
    JsonNode next = next(wait);
    if (next != null) {
      throw new AssertionError("expected nothing but got " + next);
    }
  }

  /** The close code the server sent; waits up to 10 s for the close. */
  public int closeCode() {
    return closeCode.orTimeout(10, TimeUnit.SECONDS).join();
  }

  public boolean isClosed() {
    return closeCode.isDone();
  }

  /** The next message, whatever it is, or null when none arrives within {@code wait}. */
  public JsonNode poll(Duration wait) {
    return next(wait);
  }

  private JsonNode next(Duration wait) {
    try {
      return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  @Override
  public void close() {
    if (!closeCode.isDone()) {
      socket.abort();
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final List<JsonNode> early = new ArrayList<>();
    private WsTestClient client;
    private Integer earlyClose;

    synchronized void attach(WsTestClient c) {
      client = c;
      c.inbox.addAll(early);
      if (earlyClose != null) {
        c.closeCode.complete(earlyClose);
      }
    }

    @Override
    public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonNode node;
        try {
          node = JSON.readTree(partial.toString());
        } catch (java.io.IOException e) {
          node = JSON.getNodeFactory().textNode(partial.toString());
        }
        partial.setLength(0);
        if (client == null) {
          early.add(node);
        } else {
          client.inbox.add(node);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public synchronized CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      if (client == null) {
        earlyClose = statusCode;
      } else {
        client.closeCode.complete(statusCode);
      }
      return null;
    }

    @Override
    public synchronized void onError(WebSocket ws, Throwable error) {
      if (client == null) {
        earlyClose = 1006;
      } else {
        client.closeCode.complete(1006);
      }
    }
  }
}
