package dev.relay.gateway.it;

import dev.relay.engine.Appended;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared set-up of the gateway ITs: secrets, token minting, connecting, publishing. */
public final class GatewayFixture {

  public static final String SECRET = "it-secret-it-secret-it-secret-it-secret";
  public static final String ALLOWED_ORIGIN = "https://app.example.com";

  public final TokenSigner signer = new TokenSigner(SECRET.getBytes(StandardCharsets.UTF_8));
  private final URI server;
  private final EventLog log;

  public GatewayFixture(URI server, EventLog log) {
    this.server = server;
    this.log = log;
  }

  /**
   * The properties of a gateway IT: the shared test Redis ({@link TestRedis}), {@link #SECRET},
   * {@link #ALLOWED_ORIGIN}, connection-attempt limits (SPEC §4) out of the way of tests that
   * connect many times, then {@code extra} as alternating keys and values.
   */
  public static Map<String, String> properties(String... extra) {
    Map<String, String> all = new HashMap<>();
    all.put("redis.url", TestRedis.url());
    all.put("jwt.signing.secret", SECRET);
    all.put("relay.allowed.origins", ALLOWED_ORIGIN);
    all.put("relay.connect.limit.per.ip", "100000/min");
    all.put("relay.connect.limit.per.sub", "100000/min");
    for (int i = 0; i < extra.length; i += 2) {
      all.put(extra[i], extra[i + 1]);
    }
    return all;
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String token(String sub, String sessionId, List<String> rooms, List<String> scopes) {
    return signer.connectionToken(sub, sessionId, rooms, scopes, Duration.ofSeconds(120));
  }

  public String wsUrl(String query) {
    return url("ws", "/realtime" + query);
  }

  /** {@code scheme://host:port} of the gateway followed by {@code pathAndQuery}. */
  public String url(String scheme, String pathAndQuery) {
    return scheme + "://" + server.getHost() + ":" + server.getPort() + pathAndQuery;
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
  public String publish(String room, String type, String payloadJson) {
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
