package dev.relay.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEV-ONLY. The AI coach demo's fake model: answers a question with a canned reply, one token every
 * 50–100 ms (10–20 tokens/s, about four seconds in all), streamed the way an app backend would: ONE
 * {@code POST /v1/events:stream} to this process's publish-api carrying a {@code message.delta}
 * line per token and then {@code message.completed}. Tokens are produced on one scheduler thread
 * and handed to the HTTP client's chunked body; the request's summary is logged.
 */
@Singleton
@Requires(property = "relay.dev-mode", value = "true")
public class CoachModel {

  private static final Logger LOG = LoggerFactory.getLogger(CoachModel.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ANSWERS =
      List.of(
          "Size every position so that a loss costs at most one percent of your account. Decide"
              + " where the idea is wrong before you enter, put the stop there, and let the stop"
              + " decide the size, not the other way round. A small loss is the cost of doing"
              + " business; a large one is a decision you did not make in time.",
          "Write the plan before the market opens: the setups you trade, the levels that matter"
              + " and what would make you stand aside. Then grade yourself on following the plan,"
              + " not on the day's profit. The market pays for patience far more often than it"
              + " pays for activity, so waiting for your setup is part of the work.",
          "After three losing trades in a row, stop for the day. A losing streak is when"
              + " judgement slips; the next session starts fresh, and your account is still"
              + " there to trade it. Write down what happened while it is fresh, and read it"
              + " before the next open.");

  private final DemoPublisher publisher;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "demo-coach-model");
            t.setDaemon(true);
            return t;
          });

  public CoachModel(DemoPublisher publisher) {
    this.publisher = publisher;
  }

  /** The reply to {@code question}: a canned answer chosen by the question's text. */
  static String answerFor(String question) {
    return ANSWERS.get(Math.floorMod(question.strip().length(), ANSWERS.size()));
  }

  /** Starts streaming the reply; completes with publish-api's summary when the stream ends. */
  CompletableFuture<String> reply(String room, String conversationId, String question) {
    String messageId = "a-" + Long.toString(System.nanoTime(), 36);
    String answer = answerFor(question);
    List<String> tokens = List.of(answer.split("(?<= )"));
    LineBody body = new LineBody();
    HttpRequest request =
        HttpRequest.newBuilder(publisher.endpoint("/v1/events:stream"))
            .header("Authorization", "Bearer " + publisher.apiKey())
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
            .build();
    CompletableFuture<String> summary =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
    summary.whenComplete(
        (text, error) -> LOG.info("coach reply {}: {}", messageId, error == null ? text : error));
    sendToken(body, room, conversationId, messageId, tokens, 0);
    return summary;
  }

  private void sendToken(
      LineBody body,
      String room,
      String conversationId,
      String messageId,
      List<String> tokens,
      int index) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("messageId", messageId);
    payload.put("conversationId", conversationId);
    if (index == tokens.size()) {
      payload.put("content", String.join("", tokens));
      body.add(line(room, "message.completed", payload));
      body.end();
      return;
    }
    payload.put("seq", index + 1);
    payload.put("delta", tokens.get(index));
    body.add(line(room, "message.delta", payload));
    clock.schedule(
        () -> sendToken(body, room, conversationId, messageId, tokens, index + 1),
        ThreadLocalRandom.current().nextLong(50, 100),
        TimeUnit.MILLISECONDS);
  }

  private static byte[] line(String room, String type, Map<String, Object> payload) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("room", room);
    event.put("event", type);
    event.put("payload", payload);
    try {
      return (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A request body fed line by line as the model produces them: the HTTP client's reader blocks
   * until the next line (on its own executor, never an event loop), so nothing is lost before it
   * starts reading.
   */
  static final class LineBody extends InputStream {
    private static final byte[] END = new byte[0];
    private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int at;
    private boolean ended;

    void add(byte[] line) {
      lines.add(line);
    }

    void end() {
      lines.add(END);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (at == current.length) {
        if (ended) {
          return -1;
        }
        try {
          current = lines.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        at = 0;
        ended = current == END;
      }
      int n = Math.min(len, current.length - at);
      System.arraycopy(current, at, b, off, n);
      at += n;
      return n;
    }
  }

  @PreDestroy
  void stop() {
    clock.shutdownNow();
  }
}
