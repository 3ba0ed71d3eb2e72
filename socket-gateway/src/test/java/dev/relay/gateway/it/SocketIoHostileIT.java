package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.EventLog;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Raw Engine.IO requests at /socket.io/: handshake shape, error answers, origin and CORS, payload
 * limit, heartbeat timeout, and malformed packets over both transports, which close only the
 * offending session while a real client keeps receiving.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoHostileIT implements TestPropertyProvider {

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  private final HttpClient http = HttpClient.newHttpClient();
  private GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties(
        "relay.sio.ping.interval", "1s", "relay.sio.ping.timeout", "1s");
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  private String base() {
    return "http://" + server.getHost() + ":" + server.getPort() + "/socket.io/";
  }

  private HttpResponse<String> get(String query, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + query));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.GET().build());
  }

  private HttpResponse<String> post(String query, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base() + query))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String handshake() {
    HttpResponse<String> open = get("?EIO=4&transport=polling");
    assertThat(open.statusCode()).isEqualTo(200);
    String body = open.body();
    assertThat(body).startsWith("0{\"sid\":\"");
    return body.substring(9, body.indexOf('"', 9));
  }

  @Test
  void handshakeHasTheEngineIoV4Shape() {
    HttpResponse<String> open = get("?EIO=4&transport=polling");
    assertThat(open.body())
        .matches(
            "0\\{\"sid\":\"[A-Za-z0-9_-]+\",\"upgrades\":\\[\"websocket\"],"
                + "\"pingInterval\":1000,\"pingTimeout\":1000,\"maxPayload\":65536}");
    assertThat(open.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
  }

  @Test
  void badRequestsGetTheReferenceErrorCodes() {
    assertThat(get("?EIO=3&transport=polling").body()).contains("\"code\":5");
    assertThat(get("?EIO=4&transport=carrier-pigeon").body()).contains("\"code\":0");
    HttpResponse<String> unknown = get("?EIO=4&transport=polling&sid=nope");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    assertThat(post("?EIO=4&transport=polling", "40").body()).contains("\"code\":2");
  }

  @Test
  void originIsCheckedOnPollingAndAllowedOriginsGetCors() {
    HttpResponse<String> evil =
        get("?EIO=4&transport=polling", "Origin", "https://evil.example.com");
    assertThat(evil.statusCode()).isEqualTo(403);
    HttpResponse<String> ok =
        get("?EIO=4&transport=polling", "Origin", GatewayFixture.ALLOWED_ORIGIN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue(GatewayFixture.ALLOWED_ORIGIN);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
  }

  /** A binary Socket.IO packet, an undecodable one, and a request before CONNECT. */
  private static final List<String> CLOSING_PACKETS =
      List.of("45-[\"binary\",{\"num\":0}]", "4{not socket.io", "42[\"subscribe\",{}]");

  @Test
  void malformedPacketsCloseOnlyTheirSessionWhileARealClientKeepsReceiving() {
    String session = unique("s");
    try (NodeClient healthy =
        NodeClient.start(
            "http://" + server.getHost() + ":" + server.getPort(),
            gw.token("acct-1", session, List.of(), List.of()),
            "polling")) {
      healthy.expect("connect");

      String sid = handshake();
      String q = "?EIO=4&transport=polling&sid=" + sid;
      assertThat(post(q, "\u001e\u001e").statusCode()).isEqualTo(400);
      assertThat(get(q).statusCode()).isEqualTo(400);

      String sid2 = handshake();
      String q2 = "?EIO=4&transport=polling&sid=" + sid2;
      assertThat(post(q2, "4" + "x".repeat(70_000)).statusCode()).isEqualTo(413);

      // The protocol's MUST: a packet that cannot be decoded (a binary one here, or garbage), or a
      // first packet that is not CONNECT, closes the connection; the next poll carries CLOSE.
      for (String packet : CLOSING_PACKETS) {
        String q3 = "?EIO=4&transport=polling&sid=" + handshake();
        assertThat(post(q3, packet).statusCode()).isEqualTo(200);
        assertThat(get(q3).body()).isEqualTo("1");
        assertThat(get(q3).body()).contains("Session ID unknown");
      }

      String id = gw.publish("session:" + session, "vote.cast", SocketIoIT.VOTE);
      assertThat(healthy.expect("event").get("envelope").get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void aSessionThatNeverAnswersPingsIsClosed() {
    String sid = handshake();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get("?EIO=4&transport=polling&sid=" + sid).body())
                    .contains("Session ID unknown"));
  }

  @Test
  void malformedWebSocketFramesCloseThatSocket() throws Exception {
    List<String> texts = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://"
                        + server.getHost()
                        + ":"
                        + server.getPort()
                        + "/socket.io/?EIO=4&transport=websocket"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    texts.add(data.toString());
                    w.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    closed.complete(code);
                    return null;
                  }
                })
            .get();
    await().atMost(Duration.ofSeconds(5)).until(() -> !texts.isEmpty());
    assertThat(texts.get(0)).startsWith("0{\"sid\":").contains("\"upgrades\":[]");
    ws.sendText("9 not engine.io", true);
    assertThat(closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1002);
  }
}
