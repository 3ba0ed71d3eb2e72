package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.gateway.auth.TokenSigner;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.testkit.TestRedis;
import dev.relay.testkit.WsTestClient;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side control through publish-api (SPEC §11) on two gateways sharing one Redis, one of them
 * a separate process that is killed: unsubscribe and disconnect take effect on both gateways within
 * a second (measured, printed as {@code figure:} lines); presence and the occupied-rooms listing
 * are cluster-wide, and a killed gateway's rooms leave the listing once swept; hostile requests are
 * refused (401 before the body is read, 413 over 4 KiB, 400 naming the field).
 */
class ServerControlIT {

  private static final TokenSigner SIGNER =
      new TokenSigner(Services.SECRET.getBytes(StandardCharsets.UTF_8));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "Bearer " + Services.API_KEY;

  private ApplicationContext api;
  private ApplicationContext gw1;
  private Process gw2;

  @AfterEach
  void stop() {
    if (gw2 != null) {
      gw2.destroyForcibly();
    }
    Services.closeAll(gw1, api);
  }

  private static String token(String sub, List<String> rooms, List<String> scopes) {
    return SIGNER.connectionToken(sub, null, rooms, scopes, Duration.ofSeconds(120));
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private URI api(String pathAndQuery) {
    return Services.uri(api).resolve(pathAndQuery);
  }

  private JsonNode get(String pathAndQuery) {
    HttpResponse<String> response = Http.get(api(pathAndQuery), KEY);
    assertThat(response.statusCode()).as(pathAndQuery + " " + response.body()).isEqualTo(200);
    return json(response);
  }

  private static WsTestClient connect(String url) {
    WsTestClient client = WsTestClient.connect(url);
    client.expect("welcome");
    return client;
  }

  @Test
  void controlThroughPublishApiReachesEveryGatewayAndListingsAreClusterWide() throws Exception {
    api = Services.publishApi(TestRedis.url());
    gw1 = Services.gateway(TestRedis.url(), Map.of("relay.presence.ttl", "3s"));
    int port = Services.freePort();
    gw2 = Services.gatewayProcess(port, "control-gw2.log", Map.of("RELAY_PRESENCE_TTL", "3s"));
    URI gw2Uri = URI.create("http://127.0.0.1:" + port);
    await("second gateway ready")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> Http.get(gw2Uri.resolve("/readyz"), null).statusCode() == 200);
    String kind = "ctl" + UUID.randomUUID().toString().substring(0, 8);
    String room = kind + ":main";
    String remoteOnly = kind + ":remote";
    String remote = "ws://127.0.0.1:" + port + "/realtime?token=";

    try (WsTestClient localU =
            connect(Services.realtime(gw1, token("u", List.of(room), List.of())));
        WsTestClient remoteU = connect(remote + token("u", List.of(room), List.of()));
        WsTestClient other = connect(remote + token("v", List.of(room, remoteOnly), List.of()))) {
      assertThat(get("/v1/rooms/" + room + "/presence").path("members"))
          .extracting(m -> m.path("sub").asText())
          .containsExactlyInAnyOrder("u", "v");
      JsonNode page = get("/v1/rooms?prefix=" + kind + ":&limit=1");
      assertThat(page.path("rooms").toString())
          .isEqualTo("[{\"room\":\"" + room + "\",\"members\":2}]");
      JsonNode rest = get("/v1/rooms?prefix=" + kind + ":&cursor=" + page.path("next").asText());
      assertThat(rest.path("rooms").toString())
          .isEqualTo("[{\"room\":\"" + remoteOnly + "\",\"members\":1}]");
      assertThat(rest.path("next").isNull()).isTrue();

      long start = System.nanoTime();
      HttpResponse<String> removed =
          Http.post(api("/v1/rooms/" + room + "/unsubscribe"), KEY, "{\"sub\":\"u\"}");
      assertThat(removed.statusCode()).as(removed.body()).isEqualTo(202);
      for (WsTestClient u : List.of(remoteU, localU)) {
        JsonNode told = u.expect("unsubscribed");
        assertThat(told.path("room").asText()).isEqualTo(room);
        assertThat(told.path("reason").asText()).isEqualTo("removed");
      }
      System.out.printf(
          "figure: unsubscribe via publish-api reached clients on both gateways in %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
      await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(get("/v1/rooms/" + room + "/presence").path("members"))
                      .extracting(m -> m.path("sub").asText())
                      .containsExactly("v"));

      start = System.nanoTime();
      HttpResponse<String> kicked =
          Http.post(api("/v1/users/v/disconnect"), KEY, "{\"code\":4010}");
      assertThat(kicked.statusCode()).as(kicked.body()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(1)).until(other::isClosed);
      System.out.printf(
          "figure: disconnect via publish-api closed a client on the gateway process in %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
      assertThat(other.closeCode()).isEqualTo(4010);

      try (WsTestClient again = connect(remote + token("w", List.of(remoteOnly), List.of()))) {
        await()
            .atMost(Duration.ofSeconds(2))
            .until(
                () ->
                    get("/v1/rooms?prefix=" + kind + ":remote")
                        .path("rooms")
                        .toString()
                        .equals("[{\"room\":\"" + remoteOnly + "\",\"members\":1}]"));
        gw2.destroyForcibly();
        assertThat(gw2.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        await("the killed gateway's room swept from the listing")
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> get("/v1/rooms?prefix=" + kind + ":").path("rooms").size() == 0);
        System.out.printf(
            "figure: a killed gateway's rooms left GET /v1/rooms %d ms after the kill (TTL 3 s)%n",
            (System.nanoTime() - killed) / 1_000_000);
      }
    }
  }

  @Test
  void hostileControlRequestsAreRefused() throws Exception {
    api = Services.publishApi(TestRedis.url());
    assertThat(Http.get(api("/v1/rooms"), null).statusCode()).isEqualTo(401);
    assertThat(Http.get(api("/v1/rooms/team:1/presence"), "Bearer wrong").statusCode())
        .isEqualTo(401);
    assertThat(Http.post(api("/v1/users/u/disconnect"), null, "{}").statusCode()).isEqualTo(401);
    assertThat(
            Http.post(
                    api("/v1/rooms/team:1/unsubscribe"),
                    KEY,
                    "{\"sub\":\"" + "x".repeat(5000) + "\"}")
                .statusCode())
        .isEqualTo(413);

    Map<String, String> badGets =
        Map.of(
            "/v1/rooms?prefix=" + "a".repeat(200),
            "prefix",
            "/v1/rooms?prefix=a:b:c",
            "prefix",
            "/v1/rooms?cursor=Zm9yZ2Vk",
            "cursor",
            "/v1/rooms?limit=0",
            "limit",
            "/v1/rooms/nope/presence",
            "room");
    badGets.forEach(
        (path, field) -> {
          HttpResponse<String> response = Http.get(api(path), KEY);
          assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
          assertThat(json(response).path("field").asText()).isEqualTo(field);
        });
    Map<String, String> badPosts =
        Map.of(
            "/v1/rooms/nope/unsubscribe|{\"sub\":\"u\"}", "room",
            "/v1/rooms/team:1/unsubscribe|{\"sub\":null}", "sub",
            "/v1/rooms/team:1/unsubscribe|{nope", "body",
            "/v1/users/u/disconnect|{\"code\":1000}", "code",
            "/v1/users/u/disconnect|{\"code\":\"4003\"}", "code");
    badPosts.forEach(
        (request, field) -> {
          String[] parts = request.split("\\|", 2);
          HttpResponse<String> response = Http.post(api(parts[0]), KEY, parts[1]);
          assertThat(response.statusCode()).as(request + " " + response.body()).isEqualTo(400);
          assertThat(json(response).path("code").asText()).isEqualTo("invalid_request");
          assertThat(json(response).path("field").asText()).isEqualTo(field);
        });

    String body = "{\"sub\":\"signed-user\"}";
    long t = System.currentTimeMillis() / 1000;
    String signature =
        "t="
            + t
            + ",v1="
            + PublishAuthenticator.signatureOf(
                Services.API_KEY.getBytes(StandardCharsets.UTF_8),
                t,
                body.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> signed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api("/v1/rooms/team:1/unsubscribe"))
                    .header("Content-Type", "application/json")
                    .header("X-Relay-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
  }

  /** {@code ./relay dev}: one process, the memory engine; the same rules hold. */
  @Test
  void devModeOnTheMemoryEngineAppliesControlToo() {
    api = Services.devMode("relay-dev", Map.of());
    String room = "team:" + UUID.randomUUID();
    URI base = Services.uri(api);
    String url = "ws://" + base.getHost() + ":" + base.getPort() + "/realtime?token=";
    try (WsTestClient u = connect(url + token("dev-u", List.of(room), List.of()))) {
      assertThat(get("/v1/rooms?prefix=" + room).path("rooms").toString())
          .isEqualTo("[{\"room\":\"" + room + "\",\"members\":1}]");
      assertThat(
              Http.post(api("/v1/rooms/" + room + "/unsubscribe"), KEY, "{\"sub\":\"dev-u\"}")
                  .statusCode())
          .isEqualTo(202);
      assertThat(u.expect("unsubscribed").path("reason").asText()).isEqualTo("removed");
      u.sendJson("type", "subscribe", "room", room);
      assertThat(u.expect("error").path("code").asText()).isEqualTo("forbidden");
      assertThat(Http.post(api("/v1/users/dev-u/disconnect"), KEY, "").statusCode()).isEqualTo(202);
      assertThat(u.closeCode()).isEqualTo(4003);
      assertThat(get("/v1/rooms?prefix=" + room).path("rooms").size()).isZero();
    }
  }
}
