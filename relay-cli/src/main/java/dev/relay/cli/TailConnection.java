package dev.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection of {@code ./relay tail} on the JSON protocol: after {@code welcome} it
 * subscribes to the room (with {@code since} = the last id printed, when there is one), then prints
 * each event envelope as one JSON line on stdout, in arrival order, and remembers its id. {@link
 * #run} blocks until the connection ends and says how, so the caller can decide to reconnect.
 * Listener callbacks run one at a time (the client requests one message at a time).
 */
final class TailConnection implements WebSocket.Listener {

  /** How a connection ended. */
  enum End {
    /** {@code --count} events printed. */
    DONE,
    /** The gateway refused the token or the room: reconnecting would not help. */
    REFUSED,
    /** Never connected (server down, handshake failed). */
    UNREACHABLE,
    /** Connected, then closed or dropped: reconnect and resume. */
    DROPPED
  }

  /** The end and a one-line description for the user. */
  record Outcome(End end, String detail, Throwable cause) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String room;
  private final String subscriptionToken;
  private final PrintStream out;
  private final PrintStream err;
  private final int limit;
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile String lastId;
  private volatile int printed;
  private volatile boolean subscribed;

  TailConnection(
      String room,
      String subscriptionToken,
      String since,
      int printed,
      int limit,
      PrintStream out,
      PrintStream err) {
    this.room = room;
    this.subscriptionToken = subscriptionToken;
    this.lastId = since;
    this.printed = printed;
    this.limit = limit;
    this.out = out;
    this.err = err;
  }

  /** Connects and blocks until the connection ends. */
  Outcome run(HttpClient client, URI uri) throws InterruptedException {
    WebSocket socket;
    try {
      socket =
          client
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(uri, this)
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof WebSocketHandshakeException handshake) {
        int status = handshake.getResponse().statusCode();
        End end = status == 401 || status == 403 ? End.REFUSED : End.UNREACHABLE;
        return new Outcome(end, "the gateway answered the handshake with " + status, cause);
      }
      return new Outcome(End.UNREACHABLE, "cannot connect", cause);
    }
    try {
      return ended.get();
    } catch (ExecutionException e) {
      return new Outcome(End.DROPPED, FailureReporter.describe(e.getCause()), e.getCause());
    } finally {
      socket.abort();
    }
  }

  String lastId() {
    return lastId;
  }

  int printed() {
    return printed;
  }

  boolean wasSubscribed() {
    return subscribed;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        handle(ws, JSON.readTree(text));
      } catch (JsonProcessingException e) {
        err.println("tail: ignored an unreadable message from the gateway");
      }
    }
    ws.request(1);
    return null;
  }

  private void handle(WebSocket ws, JsonNode message) throws JsonProcessingException {
    switch (message.path("type").asText()) {
      case "welcome" -> {
        ObjectNode subscribe = JSON.createObjectNode().put("type", "subscribe").put("room", room);
        if (subscriptionToken != null) {
          subscribe.put("token", subscriptionToken);
        }
        if (lastId != null) {
          subscribe.put("since", lastId);
        }
        ws.sendText(JSON.writeValueAsString(subscribe), true);
      }
      case "subscribed" -> {
        subscribed = true;
        if (message.has("since") || lastId != null) {
          if (!message.path("recovered").asBoolean(false)) {
            err.println(
                "tail: could not resume after "
                    + lastId
                    + " (outside the retention window, or the stream was lost):"
                    + " events may be missing");
          }
        }
        err.println("tail: tailing " + room + (lastId != null ? " after " + lastId : ""));
      }
      case "event" -> print(message.get("event"));
      case "error" -> {
        String code = message.path("code").asText();
        if (subscribed) {
          err.println("tail: the gateway reported " + code);
        } else {
          ended.complete(new Outcome(End.REFUSED, "the gateway refused: " + code, null));
        }
      }
      default -> {
        // pong, presence, ack: nothing to print
      }
    }
  }

  private void print(JsonNode event) throws JsonProcessingException {
    if (event == null) {
      return;
    }
    out.println(JSON.writeValueAsString(event));
    out.flush();
    lastId = event.path("id").asText(lastId);
    if (limit > 0 && ++printed >= limit) {
      ended.complete(new Outcome(End.DONE, "done", null));
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    String detail =
        "closed " + statusCode + (reason == null || reason.isBlank() ? "" : " " + reason);
    boolean refused = statusCode == 4001 || statusCode == 4003;
    ended.complete(new Outcome(refused ? End.REFUSED : End.DROPPED, detail, null));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    ended.complete(new Outcome(End.DROPPED, FailureReporter.describe(error), error));
  }
}
