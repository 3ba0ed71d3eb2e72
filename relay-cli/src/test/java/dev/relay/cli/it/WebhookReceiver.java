package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.relay.gateway.webhook.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP webhook receiver on {@code 127.0.0.1} for the system ITs: records every POST to
 * {@code /hook} with its headers and the time it arrived. While {@link #hold()} is in force it
 * answers nothing (the request stays open, as with a stuck app server) until {@link #answer()} or
 * 60 s; otherwise it answers 204 at once.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One POST as it arrived. */
  record Hook(
      String id, int attempt, String signature, String body, JsonNode json, long arrivedNanos) {

    String type() {
      return json.path("type").asText();
    }

    String room() {
      return json.path("room").asText();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final byte[] secret;
  private volatile CountDownLatch held = new CountDownLatch(0);

  WebhookReceiver(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/hook", this::receive);
    server.start();
  }

  /** What to set as {@code RELAY_WEBHOOK_URL}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** From now on requests are held unanswered. */
  void hold() {
    held = new CountDownLatch(1);
  }

  /** From now on requests are answered 204; held ones are answered too (if anyone still waits). */
  void answer() {
    held.countDown();
  }

  List<Hook> hooks() {
    return List.copyOf(hooks);
  }

  /** Verifies a hook as a receiver would: HMAC-SHA256 over "t.body", and the id header. */
  void assertSigned(Hook hook) {
    String signature = hook.signature();
    long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
    assertThat(Math.abs(System.currentTimeMillis() / 1000 - t)).isLessThan(300);
    assertThat(signature).isEqualTo(WebhookSignature.sign(secret, t, hook.body()));
    assertThat(hook.id()).isEqualTo(hook.json().get("id").asText());
  }

  private void receive(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    hooks.add(
        new Hook(
            exchange.getRequestHeaders().getFirst("X-Relay-Event-Id"),
            Integer.parseInt(exchange.getRequestHeaders().getFirst("X-Relay-Delivery-Attempt")),
            exchange.getRequestHeaders().getFirst("X-Relay-Signature"),
            body,
            JSON.readTree(body),
            System.nanoTime()));
    try {
      held.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      exchange.sendResponseHeaders(204, -1);
    } catch (IOException e) {
      // the sender is gone (killed): nobody to answer
    }
    exchange.close();
  }

  @Override
  public void close() {
    held.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
