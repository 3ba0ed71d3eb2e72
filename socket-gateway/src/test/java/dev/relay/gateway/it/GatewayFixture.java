package dev.relay.gateway.it;

import dev.relay.engine.Appended;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.WsTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared set-up of the gateway ITs: secrets, token minting, connecting, publishing. */
final class GatewayFixture {

  static final String SECRET = "it-secret-it-secret-it-secret-it-secret";
  static final String ALLOWED_ORIGIN = "https://app.example.com";

  final TokenSigner signer = new TokenSigner(SECRET.getBytes(StandardCharsets.UTF_8));
  private final URI server;
  private final EventLog log;

  GatewayFixture(URI server, EventLog log) {
    this.server = server;
    this.log = log;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String token(String sub, String sessionId, List<String> rooms, List<String> scopes) {
    return signer.connectionToken(sub, sessionId, rooms, scopes, Duration.ofSeconds(120));
  }

  String wsUrl(String query) {
    return "ws://" + server.getHost() + ":" + server.getPort() + "/realtime" + query;
  }

  /** Connects with a token in the query and consumes the welcome. */
  WsTestClient connect(String token) {
    WsTestClient client = WsTestClient.connect(wsUrl("?token=" + token));
    client.expect("welcome");
    return client;
  }

  WsTestClient connectRaw(String query, Map<String, String> headers) {
    return WsTestClient.connect(wsUrl(query), headers);
  }

  /** Appends an event as publish-api would, and returns its id. */
  String publish(String room, String type, String payloadJson) {
    Appended appended =
        log.append(
                new EventDraft(
                    room,
                    type,
                    payloadJson,
                    UUID.randomUUID().toString(),
                    Instant.parse("2024-05-01T10:00:00Z"),
                    null,
                    null))
            .toCompletableFuture()
            .join();
    return appended.id().toString();
  }
}
