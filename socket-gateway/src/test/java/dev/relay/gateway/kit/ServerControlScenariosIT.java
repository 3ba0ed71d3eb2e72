package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.relay.gateway.it.GatewayFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Server-side control (SPEC §11) on two gateways sharing one Redis, each rule on both protocols:
 * the control is issued on this gateway's admin API (same code path as publish-api's) and takes
 * effect on the other gateway within a second (measured, printed as {@code figure:} lines); a
 * removed user cannot rejoin with a token issued before the removal, neither on subscribe nor at
 * connect, and can with one issued after; a disconnect closes every connection with its code.
 */
@MicronautTest
class ServerControlScenariosIT extends KitFixture {

  static final String ADMIN_KEY = "admin-key-admin-key-admin-key-ctl01";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedServer other;
  private GatewayFixture elsewhere;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("admin.api.key", ADMIN_KEY);
    return properties;
  }

  @BeforeAll
  void startTheOtherGateway() {
    Map<String, Object> properties = new HashMap<>(getProperties());
    properties.put("micronaut.server.port", "-1");
    other = ApplicationContext.run(EmbeddedServer.class, properties);
    elsewhere = new GatewayFixture(other.getURI(), log);
  }

  @AfterAll
  void stopTheOtherGateway() {
    other.close();
  }

  /** A connection token for {@code rooms} issued at {@code iat} (whole seconds, as JWTs carry). */
  private String tokenIssuedAt(String sub, List<String> rooms, List<String> scopes, Instant iat) {
    return gw.signer.sign(
        new JWTClaimsSet.Builder()
            .subject(sub)
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(iat.plusSeconds(120)))
            .jwtID(UUID.randomUUID().toString())
            .claim("rooms", rooms)
            .claim("scope", scopes)
            .build());
  }

  private String subscriptionIssuedAt(String sub, String room, Instant iat) {
    return gw.signer.sign(
        new JWTClaimsSet.Builder()
            .subject(sub)
            .claim("room", room)
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(iat.plusSeconds(60)))
            .build());
  }

  /** The first whole second after {@code millis}: a token issued then is after the removal. */
  private static Instant secondAfter(long millis) {
    return Instant.ofEpochSecond(millis / 1000 + 1);
  }

  /**
   * The status of a GET the server refuses at its request-line limit: Netty answers 413 and closes
   * the connection while part of the request may still be unread, so the kernel may reset it before
   * the client reads the answer. A reset then counts as the same refusal (413). Sent on a client of
   * its own, so the closed connection never goes back to the shared client's pool.
   */
  private static int statusOrReset(URI server, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(server.resolve(path))
            .header("Authorization", "Bearer " + ADMIN_KEY)
            .GET()
            .build();
    HttpClient own = HttpClient.newHttpClient();
    try {
      return own.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException reset) {
      return 413;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static HttpResponse<String> admin(URI server, String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path)).header("Authorization", "Bearer " + ADMIN_KEY);
    request =
        body == null
            ? request.method(method, HttpRequest.BodyPublishers.noBody())
            : request
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRemovedUserLeavesOnTheOtherGatewayWithinASecondAndOnlyANewerTokenRejoins(
      Protocol protocol) {
    String room = "team:" + unique("rm");
    String sub = "acct-" + unique("u");
    Instant issued = Instant.now().minusSeconds(2);
    String oldToken = tokenIssuedAt(sub, List.of(room, "team:*"), List.of(), issued);
    try (ProtocolClient watcher =
            protocol.connect(elsewhere, token("acct-w", null, List.of(room), List.of("presence")));
        ProtocolClient removed = protocol.connect(elsewhere, oldToken);
        ProtocolClient bystander =
            protocol.connect(elsewhere, token("acct-b", null, List.of(room), List.of()))) {
      assertThat(watcher.expectPresence("presence.joined").path("payload").path("sub").asText())
          .isEqualTo(sub);

      long start = System.nanoTime();
      HttpResponse<String> answer =
          admin(
              server.getURI(),
              "POST",
              "/admin/rooms/" + room + "/unsubscribe",
              "{\"sub\":\"" + sub + "\"}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      JsonNode told = removed.expectPush("unsubscribed");
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "figure: unsubscribe issued on gateway A reached a %s client on gateway B in %d ms%n",
          protocol, tookMillis);
      assertThat(tookMillis).isLessThan(1000);
      assertThat(told.path("room").asText()).isEqualTo(room);
      assertThat(told.path("reason").asText()).isEqualTo("removed");
      long removedAt = System.currentTimeMillis();
      assertThat(watcher.expectPresence("presence.left").path("payload").path("sub").asText())
          .isEqualTo(sub);

      String id = publishVote(room);
      assertThat(bystander.expectEvent().path("id").asText()).isEqualTo(id);
      removed.expectNoEvent(Duration.ofMillis(300));
      assertThat(removed.subscribe(room).code()).isEqualTo("forbidden");
      String oldSubscription = subscriptionIssuedAt(sub, room, issued);
      assertThat(removed.subscribe(room, oldSubscription, null).code()).isEqualTo("forbidden");
      String withoutIat =
          gw.signer.sign(
              new JWTClaimsSet.Builder()
                  .subject(sub)
                  .claim("room", room)
                  .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                  .build());
      assertThat(removed.subscribe(room, withoutIat, null).code())
          .as("a subscription token without iat counts as issued before the removal")
          .isEqualTo("forbidden");

      String fresh = subscriptionIssuedAt(sub, room, secondAfter(removedAt));
      assertThat(removed.subscribe(room, fresh, null).ok()).isTrue();
      String next = publishVote(room);
      assertThat(removed.expectEvent().path("id").asText()).isEqualTo(next);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void atConnectAnOldTokensRemovedRoomIsRefusedAndANewTokenJoinsIt(Protocol protocol) {
    String room = "team:" + unique("rc");
    String kept = "team:" + unique("kc");
    String sub = "acct-" + unique("c");
    String oldToken =
        tokenIssuedAt(sub, List.of(room, kept), List.of(), Instant.now().minusSeconds(2));
    HttpResponse<String> answer =
        admin(
            other.getURI(),
            "POST",
            "/admin/rooms/" + room + "/unsubscribe",
            "{\"sub\":\"" + sub + "\"}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    long removedAt = System.currentTimeMillis();

    try (ProtocolClient stale = connect(protocol, oldToken)) {
      JsonNode refused = stale.expectPush("error");
      assertThat(refused.path("code").asText()).isEqualTo("forbidden");
      assertThat(refused.path("message").asText() + refused.path("detail").asText() + refused)
          .contains(room);
      String keptId = publishVote(kept);
      publishVote(room);
      assertThat(stale.expectEvent().path("id").asText()).isEqualTo(keptId);
      stale.expectNoEvent(Duration.ofMillis(300));
    }
    String fresh = tokenIssuedAt(sub, List.of(room), List.of(), secondAfter(removedAt));
    try (ProtocolClient back = protocol.connect(elsewhere, fresh)) {
      String id = publishVote(room);
      assertThat(back.expectEvent().path("id").asText()).isEqualTo(id);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDisconnectClosesEveryConnectionOfTheUserOnBothGatewaysWithItsCode(Protocol protocol) {
    String room = "team:" + unique("dc");
    String sub = "acct-" + unique("d");
    try (ProtocolClient here = connect(protocol, token(sub, null, List.of(room), List.of()));
        ProtocolClient there =
            protocol.connect(elsewhere, token(sub, null, List.of(room), List.of()));
        ProtocolClient someoneElse =
            protocol.connect(elsewhere, token("acct-x", null, List.of(room), List.of()))) {
      long start = System.nanoTime();
      HttpResponse<String> answer =
          admin(server.getURI(), "POST", "/admin/users/" + sub + "/disconnect", "{\"code\":4005}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      Ending far = there.awaitEnd();
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "figure: disconnect issued on gateway A closed a %s client on gateway B in %d ms%n",
          protocol, tookMillis);
      assertThat(tookMillis).isLessThan(1000);
      Ending near = here.awaitEnd();
      for (Ending end : List.of(far, near)) {
        if (protocol == Protocol.JSON) {
          assertThat(end.closeCode()).isEqualTo(4005);
        } else {
          assertThat(end.errorCodes()).containsExactly("disconnected");
          assertThat(end.disconnectPacket()).isTrue();
        }
      }
      String id = publishVote(room);
      assertThat(someoneElse.expectEvent().path("id").asText()).isEqualTo(id);
      assertThat(someoneElse.isClosed()).isFalse();
    }
    try (ProtocolClient again = connect(protocol, token(sub, null, List.of(room), List.of()))) {
      String id = publishVote(room);
      assertThat(again.expectEvent().path("id").asText()).isEqualTo(id);
    }
  }

  private static JsonNode get(URI server, String pathAndQuery) {
    HttpResponse<String> response = admin(server, "GET", pathAndQuery, null);
    assertThat(response.statusCode()).as(pathAndQuery + " " + response.body()).isEqualTo(200);
    return json(response);
  }

  @Test
  void clusterRoomsListEveryGatewaysRoomsByPrefixInPagesAndAdminShowsARoomsLastEvents() {
    String kind = unique("lst");
    try (ProtocolClient u1 =
            connect(
                Protocol.JSON, token("u1", null, List.of(kind + ":r1", kind + ":r2"), List.of()));
        ProtocolClient u2 =
            Protocol.JSON.connect(
                elsewhere, token("u2", null, List.of(kind + ":r2", kind + ":r3"), List.of()));
        ProtocolClient u3a =
            connect(Protocol.JSON, token("u3", null, List.of(kind + ":r3"), List.of()));
        ProtocolClient u3b =
            Protocol.JSON.connect(elsewhere, token("u3", null, List.of(kind + ":r3"), List.of()))) {
      for (URI from : List.of(server.getURI(), other.getURI())) {
        JsonNode first = get(from, "/admin/cluster/rooms?prefix=" + kind + ":&limit=2");
        assertThat(first.toString())
            .isEqualTo(
                "{\"rooms\":[{\"room\":\""
                    + kind
                    + ":r1\",\"members\":1},{\"room\":\""
                    + kind
                    + ":r2\",\"members\":2}],\"next\":\""
                    + first.path("next").asText()
                    + "\"}");
        JsonNode second =
            get(
                from,
                "/admin/cluster/rooms?prefix="
                    + kind
                    + "&limit=2&cursor="
                    + first.path("next").asText());
        assertThat(second.path("rooms").toString())
            .isEqualTo("[{\"room\":\"" + kind + ":r3\",\"members\":2}]");
        assertThat(second.path("next").isNull()).isTrue();
      }
      assertThat(get(server.getURI(), "/admin/cluster/rooms").path("rooms").size()).isPositive();

      List<String> ids =
          List.of(publishVote(kind + ":r1"), publishVote(kind + ":r1"), publishVote(kind + ":r1"));
      JsonNode events = get(other.getURI(), "/admin/rooms/" + kind + ":r1/events?limit=2");
      assertThat(events.path("events"))
          .extracting(e -> e.path("id").asText())
          .containsExactly(ids.get(2), ids.get(1));
      assertThat(get(server.getURI(), "/admin/rooms/" + kind + ":none/events").path("events"))
          .isEmpty();
    }
  }

  @Test
  void hostileAdminInputIsRefusedNamingTheField() {
    URI s = server.getURI();
    HttpResponse<String> noKey =
        send(HttpRequest.newBuilder(s.resolve("/admin/cluster/rooms")).GET().build());
    assertThat(noKey.statusCode()).isEqualTo(401);
    HttpResponse<String> wrongKey =
        send(
            HttpRequest.newBuilder(s.resolve("/admin/users/u/disconnect"))
                .header("Authorization", "Bearer wrong")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(wrongKey.statusCode()).isEqualTo(401);

    Map<String, String> badGets =
        Map.of(
            "/admin/cluster/rooms?prefix=" + "a".repeat(200),
            "prefix",
            "/admin/cluster/rooms?prefix=Team:",
            "prefix",
            "/admin/cluster/rooms?prefix=team:a%20b",
            "prefix",
            "/admin/cluster/rooms?cursor=%21%21%21",
            "cursor",
            "/admin/cluster/rooms?cursor=bm90IGEgcm9vbQ",
            "cursor",
            "/admin/cluster/rooms?limit=0",
            "limit",
            "/admin/cluster/rooms?limit=1001",
            "limit",
            "/admin/cluster/rooms?limit=abc",
            "limit",
            "/admin/rooms/team:1/events?limit=101",
            "limit",
            "/admin/rooms/bad/events",
            "room");
    badGets.forEach(
        (path, field) -> {
          HttpResponse<String> response = admin(s, "GET", path, null);
          assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
          assertProblem(response, 400, field);
        });
    assertThat(statusOrReset(s, "/admin/cluster/rooms?prefix=" + "a".repeat(5000)))
        .as("a request line over the server's limit")
        .isEqualTo(413);

    assertProblem(admin(s, "POST", "/admin/rooms/bad/unsubscribe", "{\"sub\":\"u\"}"), 400, "room");
    assertProblem(admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "not json"), 400, "body");
    assertProblem(admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "[1]"), 400, "body");
    assertProblem(admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "{}"), 400, "sub");
    assertProblem(
        admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "{\"sub\":\"\"}"), 400, "sub");
    assertProblem(admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "{\"sub\":12}"), 400, "sub");
    assertProblem(
        admin(
            s, "POST", "/admin/rooms/team:1/unsubscribe", "{\"sub\":\"" + "u".repeat(257) + "\"}"),
        400,
        "sub");
    assertProblem(
        admin(s, "POST", "/admin/rooms/team:1/unsubscribe", "{\"sub\":\"a\\u0000b\"}"), 400, "sub");
    for (String code : List.of("3999", "5000", "\"4003\"", "4003.5", "99999999999")) {
      assertProblem(
          admin(s, "POST", "/admin/users/u/disconnect", "{\"code\":" + code + "}"), 400, "code");
    }
    assertThat(admin(s, "POST", "/admin/users/" + unique("u") + "/disconnect", null).statusCode())
        .as("without a body: the default code")
        .isEqualTo(202);
    assertThat(
            admin(
                    s,
                    "POST",
                    "/admin/rooms/team:1/unsubscribe",
                    "{\"sub\":\"" + "x".repeat(20_000) + "\"}")
                .statusCode())
        .isEqualTo(413);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode problem = json(response);
    assertThat(problem.path("code").asText()).isEqualTo("invalid_request");
    assertThat(problem.path("field").asText()).as(response.body()).isEqualTo(field);
  }
}
