package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection scenarios of SPEC §4–§6 and §10, each run against both protocols: authentication,
 * session isolation, token expiry and refresh, and malformed input.
 */
@MicronautTest
class ConnectScenariosIT extends KitFixture {

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTokenInTheConnectRequestJoinsItsRoomsAndReceivesTheirEvents(Protocol protocol) {
    String session = "session:" + unique("s");
    String team = "team:" + unique("t");
    try (ProtocolClient client =
        connect(protocol, token("acct-1", session.substring(8), List.of(team), List.of()))) {
      // Every envelope field of SPEC §3 reaches the client unchanged.
      String inSession = publishVote(session);
      String inTeam = publishVote(team);
      // Each room is its own stream: no order between two rooms (SPEC §7 orders a room).
      List<JsonNode> events = List.of(client.expectEvent(), client.expectEvent());
      assertThat(events)
          .extracting(e -> e.get("room").asText() + " " + e.get("id").asText())
          .containsExactlyInAnyOrder(session + " " + inSession, team + " " + inTeam);
      assertThat(events).allSatisfy(e -> assertThat(e.get("v").asInt()).isEqualTo(1));
      assertThat(events)
          .allSatisfy(
              e -> {
                assertThat(e.get("type").asText()).isEqualTo("vote.cast");
                assertThat(e.get("payload").get("issueKey").asText()).isEqualTo("SCRUM-1");
                assertThat(e.get("issuedAt").asText()).isEqualTo("2024-05-01T10:00:00Z");
                assertThat(e.get("publishedAt").asText()).isNotBlank();
                assertThat(e.get("nonce").asText()).isNotBlank();
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTokenSentAfterTheConnectionOpensAuthenticatesToo(Protocol protocol) {
    String session = unique("s");
    try (ProtocolClient client =
        protocol.connectLater(gw, token("acct-1", session, List.of(), List.of()))) {
      String id = publishVote("session:" + session);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(id);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aBadTokenIsUnauthorizedAndAnExpiredOneTokenExpired(Protocol protocol) {
    Protocol.Refusal bad = protocol.refuse(gw, "not.a.token");
    assertThat(bad.code()).isEqualTo("unauthorized");
    Instant past = Instant.now().minusSeconds(200);
    String expired =
        gw.signer.sign(
            new JWTClaimsSet.Builder()
                .subject("acct-1")
                .claim("sessionId", "x")
                .issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(100)))
                .build());
    Protocol.Refusal late = protocol.refuse(gw, expired);
    assertThat(late.code()).isEqualTo("token_expired");
    if (protocol == Protocol.JSON) {
      assertThat(bad.closeCode()).isEqualTo(4001);
      assertThat(late.closeCode()).isEqualTo(4008);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTokenForSessionANeverJoinsOrHearsSessionB(Protocol protocol) {
    String a = unique("a");
    String b = unique("b");
    try (ProtocolClient clientA = connect(protocol, token("acct-a", a, List.of(), List.of()));
        ProtocolClient clientB = connect(protocol, token("acct-b", b, List.of(), List.of()))) {
      Answer refused = clientA.subscribe("session:" + b);
      assertThat(refused.ok()).isFalse();
      assertThat(refused.code()).isEqualTo("forbidden");
      String forB = publishVote("session:" + b);
      assertThat(clientB.expectEvent().get("id").asText()).isEqualTo(forB);
      clientA.expectNoEvent(Duration.ofMillis(300));
    }
  }

  /**
   * SPEC §4: a connection whose token expires unrefreshed is closed at {@code exp} (JSON 4008;
   * Socket.IO an {@code error} token_expired, then DISCONNECT), while one refreshed in time with a
   * token of the same {@code sub} stays and keeps receiving; a token for another {@code sub} or a
   * broken one refreshes nothing.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anUnrefreshedTokenClosesAtExpiryWhileARefreshedOneStays(Protocol protocol) {
    String session = unique("s");
    Duration ttl = Duration.ofSeconds(2);
    try (ProtocolClient stale = connect(protocol, shortToken("acct-1", session, List.of(), ttl));
        ProtocolClient fresh = connect(protocol, shortToken("acct-1", session, List.of(), ttl))) {
      assertThat(fresh.refresh(token("acct-2", session, List.of(), List.of())).code())
          .isEqualTo("forbidden");
      assertThat(fresh.refresh("x").code()).isEqualTo("unauthorized");
      Answer ok = fresh.refresh(token("acct-1", session, List.of(), List.of()));
      assertThat(ok.ok()).isTrue();
      assertThat(ok.body().path("expiresAt").asText()).isNotBlank();

      Ending end = stale.awaitEnd();
      if (protocol == Protocol.JSON) {
        assertThat(end.closeCode()).isEqualTo(4008);
      } else {
        assertThat(end.errorCodes()).containsExactly("token_expired");
        assertThat(end.disconnectPacket()).as("DISCONNECT after the error").isTrue();
      }
      // The sweep runs every second: one more second past exp, the refreshed one is still there.
      fresh.expectNoEvent(Duration.ofMillis(1200));
      assertThat(fresh.isClosed()).isFalse();
      String id = publishVote("session:" + session);
      assertThat(fresh.expectEvent().get("id").asText()).isEqualTo(id);
    }
  }

  /** SPEC §10 "Refresh narrows". */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void refreshLeavesTheRoomsTheNewTokenNoLongerGrants(Protocol protocol) {
    String session = unique("s");
    String kept = "team:" + unique("k");
    String lost = "team:" + unique("l");
    String byWildcard = "task:" + unique("w");
    try (ProtocolClient client =
        connect(protocol, token("acct-1", session, List.of(kept, lost, "task:*"), List.of()))) {
      assertThat(client.subscribe(byWildcard).ok()).isTrue();
      assertThat(client.refresh(token("acct-1", session, List.of(kept), List.of())).ok()).isTrue();
      List<String> revoked =
          List.of(client.expectPush("unsubscribed"), client.expectPush("unsubscribed")).stream()
              .peek(m -> assertThat(m.path("reason").asText()).isEqualTo("revoked"))
              .map(m -> m.path("room").asText())
              .toList();
      assertThat(revoked).containsExactlyInAnyOrder(lost, byWildcard);
      publishVote(lost);
      publishVote(byWildcard);
      String stays = publishVote(kept);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(stays);
      client.expectNoEvent(Duration.ofMillis(300));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aFirstMessageThatIsNotAuthenticationEndsTheConnection(Protocol protocol) {
    try (ProtocolClient client = protocol.openUnauthenticated(gw)) {
      client.sendRaw(
          protocol == Protocol.JSON
              ? "{\"type\":\"subscribe\",\"room\":\"team:1\"}"
              : "42[\"subscribe\",{\"room\":\"team:1\"}]");
      Ending end = client.awaitEnd();
      if (protocol == Protocol.JSON) {
        assertThat(end.errorCodes()).containsExactly("unauthorized");
        assertThat(end.closeCode()).isEqualTo(4001);
      }
    }
  }

  /**
   * Malformed input ({@link Protocol#malformedInputs}): the JSON protocol answers each with {@code
   * invalid_message} and keeps the connection; Socket.IO closes it, as the protocol requires of an
   * invalid packet (transport closed, no DISCONNECT). Either way nobody else notices.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void malformedInputIsRefusedWithoutDisturbingOthers(Protocol protocol) {
    String session = unique("s");
    String token = token("acct-1", unique("h"), List.of("team:*"), List.of());
    try (ProtocolClient bystander =
            connect(protocol, token("acct-2", session, List.of(), List.of()));
        ProtocolClient hostile = connect(protocol, token)) {
      for (String frame : protocol.malformedInputs()) {
        String shown = frame.substring(0, Math.min(40, frame.length()));
        if (protocol == Protocol.JSON) {
          hostile.sendRaw(frame);
          assertThat(hostile.expectPush("error").path("code").asText())
              .as(shown)
              .isEqualTo("invalid_message");
        } else {
          try (ProtocolClient one = connect(protocol, token)) {
            one.sendRaw(frame);
            assertThat(one.awaitEnd().disconnectPacket()).as(shown).isFalse();
          }
        }
      }
      if (protocol == Protocol.JSON) {
        assertThat(hostile.subscribe("team:" + unique("t")).ok()).as("still open").isTrue();
      }
      String id = publishVote("session:" + session);
      assertThat(bystander.expectEvent().get("id").asText()).isEqualTo(id);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aFrameOverTheSizeLimitClosesWith1009(Protocol protocol) {
    String session = unique("s");
    try (ProtocolClient bystander =
            connect(protocol, token("acct-2", session, List.of(), List.of()));
        ProtocolClient hostile =
            connect(protocol, token("acct-1", unique("h"), List.of(), List.of()))) {
      hostile.sendRaw(protocol.oversizeFrame());
      assertThat(hostile.awaitEnd().closeCode()).isEqualTo(1009);
      String id = publishVote("session:" + session);
      assertThat(bystander.expectEvent().get("id").asText()).isEqualTo(id);
    }
  }
}
