package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Presence info and state (SPEC §11), each run against both protocols: {@code info} from the token
 * in {@code presence.joined} and the member list, {@code presence.set} → {@code presence.updated}
 * to every member, one member per user across connections and two gateways, and the refusals:
 * scope, room, malformed and oversized state, oversized or non-object info, a flood beyond 5/s.
 */
@MicronautTest
class PresenceStateScenariosIT extends KitFixture {

  private String infoToken(String sub, String room, List<String> scopes, Map<String, Object> info) {
    return gw.signer.connectionToken(sub, null, List.of(room), scopes, Duration.ofMinutes(2), info);
  }

  private static final String ADMIN_KEY = "admin-key-admin-key-admin-key-pres1";

  /** {@code GET /admin/rooms/{room}} of {@code server}: members with info and state. */
  private static JsonNode adminRoom(EmbeddedServer server, String room) {
    try {
      java.net.http.HttpResponse<String> response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          server.getURI().resolve("/admin/rooms/" + room))
                      .header("Authorization", "Bearer " + ADMIN_KEY)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode memberOf(Answer presence, String sub) {
    for (JsonNode m : presence.body().path("members")) {
      if (sub.equals(m.path("sub").asText())) {
        return m;
      }
    }
    throw new AssertionError(sub + " is not in " + presence.body());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void infoAndStateReachEveryMemberAndTheMemberList(Protocol protocol) {
    String room = "team:" + unique("ps");
    try (ProtocolClient watcher =
            connect(protocol, infoToken("acct-w", room, List.of("presence"), Map.of("name", "W")));
        ProtocolClient ada =
            connect(
                protocol, infoToken("acct-a", room, List.of("publish"), Map.of("name", "Ada")))) {
      JsonNode joined = watcher.expectPresence("presence.joined").path("payload");
      assertThat(joined.path("sub").asText()).isEqualTo("acct-a");
      assertThat(joined.path("info").path("name").asText()).isEqualTo("Ada");

      Answer set = ada.setPresence(room, Map.of("voted", true));
      assertThat(set.ok()).as(set.toString()).isTrue();
      JsonNode updated = watcher.expectPresence("presence.updated").path("payload");
      assertThat(updated.path("sub").asText()).isEqualTo("acct-a");
      assertThat(updated.path("state").path("voted").asBoolean()).isTrue();

      Answer members = watcher.presence(room);
      JsonNode a = memberOf(members, "acct-a");
      assertThat(a.path("info").path("name").asText()).isEqualTo("Ada");
      assertThat(a.path("state").path("voted").asBoolean()).isTrue();
      JsonNode w = memberOf(members, "acct-w");
      assertThat(w.path("info").path("name").asText()).isEqualTo("W");
      assertThat(w.path("state").isNull()).isTrue();
    }
  }

  /** A user is one member on every gateway; the last state set wins; its own tabs hear it too. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aUserWithConnectionsOnTwoGatewaysIsOneMemberAndTheLastStateWins(Protocol protocol) {
    String room = "team:" + unique("pg");
    List<String> scopes = List.of("presence", "publish");
    Map<String, Object> properties = new HashMap<>(getProperties());
    properties.put("micronaut.server.port", "-1");
    properties.put("admin.api.key", ADMIN_KEY);
    try (EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, properties)) {
      GatewayFixture elsewhere = new GatewayFixture(other.getURI(), log);
      try (ProtocolClient watcher =
              protocol.connect(
                  elsewhere, infoToken("acct-w", room, List.of("presence"), Map.of("name", "W")));
          ProtocolClient tab1 =
              connect(protocol, infoToken("acct-b", room, scopes, Map.of("name", "Bo")));
          ProtocolClient tab2 =
              protocol.connect(
                  elsewhere, infoToken("acct-b", room, scopes, Map.of("name", "Bo")))) {
        assertThat(tab1.setPresence(room, Map.of("round", 1)).ok()).isTrue();
        assertThat(
                watcher
                    .expectPresence("presence.updated")
                    .path("payload")
                    .path("state")
                    .path("round")
                    .asInt())
            .isEqualTo(1);
        assertThat(tab2.setPresence(room, Map.of("round", 2)).ok()).isTrue();
        assertThat(
                tab1.expectPresence("presence.updated")
                    .path("payload")
                    .path("state")
                    .path("round")
                    .asInt())
            .isIn(1, 2);

        Answer seenElsewhere = watcher.presence(room);
        List<String> subs = new ArrayList<>();
        seenElsewhere.body().path("members").forEach(m -> subs.add(m.path("sub").asText()));
        assertThat(subs).containsExactlyInAnyOrder("acct-w", "acct-b");
        assertThat(memberOf(seenElsewhere, "acct-b").path("state").path("round").asInt())
            .isEqualTo(2);
        assertThat(memberOf(tab1.presence(room), "acct-b").path("info").path("name").asText())
            .isEqualTo("Bo");

        JsonNode admin = adminRoom(other, room);
        JsonNode bo = null;
        for (JsonNode m : admin.path("members")) {
          if ("acct-b".equals(m.path("sub").asText())) {
            bo = m;
          }
        }
        assertThat(bo).as(admin.toString()).isNotNull();
        assertThat(bo.path("info").path("name").asText()).isEqualTo("Bo");
        assertThat(bo.path("state").path("round").asInt()).isEqualTo(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void presenceSetNeedsAScopeAndARoomAndAWellFormedSmallObject(Protocol protocol) {
    String room = "team:" + unique("pr");
    try (ProtocolClient reader = connect(protocol, infoToken("acct-r", room, List.of(), null));
        ProtocolClient member =
            connect(protocol, infoToken("acct-m", room, List.of("presence"), null))) {
      assertThat(reader.setPresence(room, Map.of("x", 1)).code()).isEqualTo("forbidden");
      assertThat(member.setPresence("team:" + unique("x"), Map.of()).code())
          .isEqualTo("not_subscribed");
      assertThat(member.setPresence(room, "text").code()).isEqualTo("invalid_message");
      assertThat(member.setPresence(room, List.of(1, 2)).code()).isEqualTo("invalid_message");
      assertThat(member.setPresence(room, null).code()).isEqualTo("invalid_message");
      assertThat(member.setPresence(room, Map.of("s", "x".repeat(1100))).code())
          .isEqualTo("payload_too_large");
      assertThat(member.setPresence(room, Map.of("s", "x".repeat(1000))).ok()).isTrue();
      assertThat(memberOf(member.presence(room), "acct-m").path("state").path("s").asText())
          .hasSize(1000);
    }
  }

  /** Limited like typing: 5/s per connection by default. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aFloodOfPresenceSetIsRateLimited(Protocol protocol) {
    String room = "team:" + unique("pf");
    try (ProtocolClient member =
        connect(protocol, infoToken("acct-f", room, List.of("publish"), null))) {
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Answer answer = member.setPresence(room, Map.of("i", i));
        codes.add(answer.ok() ? "ok" : answer.code());
      }
      assertThat(codes.subList(0, 5)).containsOnly("ok");
      assertThat(codes).contains("rate_limited");
      assertThat(codes.stream().filter("ok"::equals).count()).isLessThanOrEqualTo(10);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTokenWithABadInfoClaimIsRefused(Protocol protocol) {
    String room = "team:" + unique("pi");
    Map<String, Object> huge = Map.of("name", "x".repeat(1100));
    assertThat(protocol.refuse(gw, infoToken("acct-i", room, List.of(), huge)).code())
        .isEqualTo("unauthorized");
    String notAnObject =
        gw.signer.sign(
            new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .subject("acct-i")
                .issueTime(new java.util.Date())
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000))
                .claim("rooms", List.of(room))
                .claim("info", "Ada")
                .build());
    assertThat(protocol.refuse(gw, notAnObject).code()).isEqualTo("unauthorized");
  }
}
