package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Security limits that must hold across instances (SPEC §2, §4): publish limits shared by two
 * publish-apis, connection attempts per user, revocation closing live connections on another
 * gateway, the admin key, rooms per connection — and no secret ever in the logs, while the precise
 * reason for a refused token is there.
 */
class SecurityIT {

  private static final String ADMIN_KEY = "admin-key-admin-key-admin-key-0001";
  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static final List<String> TOKENS_USED = new ArrayList<>();
  private static ApplicationContext gwA;
  private static ApplicationContext gwB;
  private static ApplicationContext pa1;
  private static ApplicationContext pa2;

  @BeforeAll
  static void start() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    LOGS.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    LOGS.start();
    root.addAppender(LOGS);
    Map<String, Object> gateway =
        Map.of(
            "admin.api.key", ADMIN_KEY,
            "relay.connect.limit.per.sub", "3/min",
            "relay.max.rooms.per.connection", "2",
            "relay.max.connections.per.sub", "2");
    gwA = Services.gateway(TestRedis.url(), gateway);
    gwB = Services.gateway(TestRedis.url(), gateway);
    Map<String, Object> publish =
        Map.of("relay.publish.limit.per.room", "5/min", "relay.publish.burst.per.room", "5");
    pa1 = Services.publishApi(TestRedis.url(), publish);
    pa2 = Services.publishApi(TestRedis.url(), publish);
  }

  @AfterAll
  static void stop() {
    for (ApplicationContext c : List.of(gwA, gwB, pa1, pa2)) {
      c.close();
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    // Threads of the closed services may still be appending (doAppend holds the appender's lock).
    List<ILoggingEvent> logged;
    synchronized (LOGS) {
      LOGS.stop();
      logged = List.copyOf(LOGS.list);
    }
    List<String> secrets = new ArrayList<>(List.of(Services.API_KEY, Services.SECRET, ADMIN_KEY));
    secrets.addAll(TOKENS_USED);
    for (ILoggingEvent event : logged) {
      String line = event.getFormattedMessage() + " " + String.valueOf(event.getThrowableProxy());
      for (String secret : secrets) {
        assertThat(line).as("a log line leaks a secret").doesNotContain(secret);
      }
    }
    assertThat(logged).isNotEmpty();
  }

  private static String token(String sub, String session) {
    String token =
        SIGNER.connectionToken(sub, session, List.of("team:*"), List.of(), Duration.ofSeconds(120));
    TOKENS_USED.add(token);
    return token;
  }

  @Test
  void publishLimitPerRoomIsSharedByTwoPublishApis() {
    String session = UUID.randomUUID().toString();
    int accepted = 0;
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> answer =
          Http.publish(
              Services.uri(i % 2 == 0 ? pa1 : pa2),
              "{\"sessionId\":\"" + session + "\",\"event\":\"session.ended\",\"payload\":{}}");
      if (answer.statusCode() == 202) {
        accepted++;
      } else {
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.body()).contains("\"code\":\"rate_limited\"");
        int retryAfter = Integer.parseInt(answer.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1, 60);
        limited++;
      }
    }
    assertThat(accepted).isEqualTo(5);
    assertThat(limited).isEqualTo(5);
  }

  @Test
  void connectionAttemptsPerUserAreLimitedAcrossGateways() {
    String sub = "eager-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      try (WsTestClient ok =
          WsTestClient.connect(Services.realtime(i % 2 == 0 ? gwA : gwB, token(sub, "s")))) {
        ok.expect("welcome");
      }
    }
    try (WsTestClient refused = WsTestClient.connect(Services.realtime(gwB, token(sub, "s")))) {
      assertThat(refused.expect("error").get("code").asText()).isEqualTo("rate_limited");
      assertThat(refused.closeCode()).isEqualTo(4029);
    }
  }

  @Test
  void openConnectionsPerUserAreCappedPerGateway() {
    String sub = "tabs-" + UUID.randomUUID();
    try (WsTestClient first = WsTestClient.connect(Services.realtime(gwA, token(sub, "s")));
        WsTestClient second = WsTestClient.connect(Services.realtime(gwA, token(sub, "s")))) {
      first.expect("welcome");
      second.expect("welcome");
      try (WsTestClient third = WsTestClient.connect(Services.realtime(gwA, token(sub, "s")))) {
        assertThat(third.expect("error").get("code").asText()).isEqualTo("limit_exceeded");
        assertThat(third.closeCode()).isEqualTo(4029);
      }
    }
  }

  @Test
  void revokingAJtiOnOneGatewayClosesItsConnectionsOnTheOther() {
    String jti = "jti-" + UUID.randomUUID();
    Instant now = Instant.now();
    String token =
        SIGNER.sign(
            new JWTClaimsSet.Builder()
                .subject("revoked-" + UUID.randomUUID())
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))
                .build());
    TOKENS_USED.add(token);
    try (WsTestClient live = WsTestClient.connect(Services.realtime(gwB, token))) {
      live.expect("welcome");
      HttpResponse<String> unauthorized =
          Http.post(Services.uri(gwA).resolve("/admin/revocations"), "Bearer wrong", "{}");
      assertThat(unauthorized.statusCode()).isEqualTo(401);
      HttpResponse<String> revoked =
          Http.post(
              Services.uri(gwA).resolve("/admin/revocations"),
              "Bearer " + ADMIN_KEY,
              "{\"jti\":\"" + jti + "\",\"exp\":" + now.plusSeconds(120).getEpochSecond() + "}");
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(202);
      assertThat(live.closeCode()).isEqualTo(4001);
    }
    try (WsTestClient again = WsTestClient.connect(Services.realtime(gwA, token))) {
      assertThat(again.expect("error").get("code").asText()).isEqualTo("unauthorized");
      assertThat(again.closeCode()).isEqualTo(4001);
    }
    assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage().contains("revoked jti"));
  }

  @Test
  void adminListsRoomsOnlyWithTheKey() {
    String room = "team:" + UUID.randomUUID();
    try (WsTestClient client =
        WsTestClient.connect(
            Services.realtime(gwA, token("admin-seen-" + UUID.randomUUID(), null)))) {
      client.expect("welcome");
      client.sendJson("type", "subscribe", "room", room);
      client.expect("subscribed");
      assertThat(Http.get(Services.uri(gwA).resolve("/admin/rooms"), null).statusCode())
          .isEqualTo(401);
      HttpResponse<String> rooms =
          Http.get(Services.uri(gwA).resolve("/admin/rooms"), "Bearer " + ADMIN_KEY);
      assertThat(rooms.statusCode()).isEqualTo(200);
      assertThat(rooms.body()).contains(room);
    }
  }

  @Test
  void roomsPerConnectionAreLimited() {
    try (WsTestClient client =
        WsTestClient.connect(Services.realtime(gwA, token("rooms-" + UUID.randomUUID(), null)))) {
      client.expect("welcome");
      client.sendJson("type", "subscribe", "teamId", "1");
      client.expect("subscribed");
      client.sendJson("type", "subscribe", "teamId", "2");
      client.expect("subscribed");
      client.sendJson("type", "subscribe", "teamId", "3");
      assertThat(client.expect("error").get("code").asText()).isEqualTo("limit_exceeded");
    }
  }

  @Test
  void aRefusedTokensPreciseReasonIsLoggedButTheClientOnlyHearsUnauthorized() throws Exception {
    Instant now = Instant.now();
    SignedJWT hs512 =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS512),
            new JWTClaimsSet.Builder()
                .subject("hs512-user")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)))
                .build());
    hs512.sign(new MACSigner((Services.SECRET + Services.SECRET).getBytes(StandardCharsets.UTF_8)));
    String token = hs512.serialize();
    TOKENS_USED.add(token);
    try (WsTestClient client = WsTestClient.connect(Services.realtime(gwA, token))) {
      JsonNodeAssert.errorCode(client, "unauthorized");
      assertThat(client.closeCode()).isEqualTo(4001);
    }
    assertThat(LOGS.list).anyMatch(e -> e.getFormattedMessage().contains("alg HS512 is not HS256"));
  }

  /** Reads the error code a client was told. */
  private static final class JsonNodeAssert {
    static void errorCode(WsTestClient client, String code) {
      assertThat(client.expect("error").get("code").asText()).isEqualTo(code);
    }
  }
}
