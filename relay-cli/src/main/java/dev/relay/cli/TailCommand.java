package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./relay tail}: subscribes to one room over the JSON protocol and prints every event
 * envelope as one JSON line, until interrupted (or {@code --count} events).
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = "Prints the events of one room as they arrive, one JSON envelope per line.")
final class TailCommand implements java.util.concurrent.Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin Target target = new Target();

  @Option(names = "--since", description = "Replay events after this event id first.")
  String since;

  @Option(
      names = "--token",
      description = "Connection token (default: minted from JWT_SIGNING_SECRET).")
  String token;

  @Option(
      names = "--url",
      description = "Gateway base URL (default RELAY_URL or http://localhost:8080).")
  String url;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "Exit after this many events (0: never).")
  int count;

  @Override
  public Integer call() throws Exception {
    String room = target.room();
    String base =
        url != null ? url : DevEnv.locate().get("RELAY_URL").orElse("http://localhost:8080");
    String connectionToken =
        token != null
            ? token
            : TokenCommand.signer()
                .connectionToken(
                    "relay-tail", null, List.of(room), List.of(), Duration.ofSeconds(300));
    URI uri = URI.create(base.replaceFirst("^http", "ws") + "/realtime?token=" + connectionToken);
    CountDownLatch done = new CountDownLatch(1);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(uri, new Printer(room, since, count, exit))
            .get(10, TimeUnit.SECONDS);
    exit.whenComplete((code, error) -> done.countDown());
    done.await();
    socket.abort();
    return exit.getNow(1);
  }

  /** Prints events; sends the subscribe with {@code since} after the welcome when asked. */
  private static final class Printer implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private final String room;
    private final String since;
    private final int limit;
    private final CompletableFuture<Integer> exit;
    private int printed;

    Printer(String room, String since, int limit, CompletableFuture<Integer> exit) {
      this.room = room;
      this.since = since;
      this.limit = limit;
      this.exit = exit;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(ws, partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(WebSocket ws, String text) {
      try {
        JsonNode message = JSON.readTree(text);
        String type = message.path("type").asText();
        if (type.equals("welcome")) {
          System.err.println("tailing " + room + " as " + message.path("sub").asText());
          if (since != null) {
            ws.sendText(
                JSON.writeValueAsString(
                    JSON.createObjectNode()
                        .put("type", "subscribe")
                        .put("room", room)
                        .put("since", since)),
                true);
          }
        } else if (type.equals("event")) {
          System.out.println(JSON.writeValueAsString(message.get("event")));
          System.out.flush();
          if (limit > 0 && ++printed >= limit) {
            exit.complete(0);
          }
        } else if (type.equals("error") || type.equals("subscribed")) {
          System.err.println(text);
        }
      } catch (java.io.IOException e) {
        System.err.println("unreadable message: " + e.getMessage());
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      System.err.println("closed: " + statusCode + " " + reason);
      exit.complete(statusCode == 1000 ? 0 : 1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      System.err.println("connection failed: " + error);
      exit.complete(1);
    }
  }
}
