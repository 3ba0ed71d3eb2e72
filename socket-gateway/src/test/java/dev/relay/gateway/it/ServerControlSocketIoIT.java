package dev.relay.gateway.it;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.engine.EventLog;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Server-side control (SPEC §11) as the stock socket.io-client sees it: a removal from a room is
 * the event {@code unsubscribed} {@code {room, reason:"removed"}}; a disconnect is an {@code error}
 * event with the code's name, then a DISCONNECT packet, so the client reports {@code io server
 * disconnect} and does not reconnect by itself.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerControlSocketIoIT implements TestPropertyProvider {

  private static final String ADMIN_KEY = "admin-key-admin-key-admin-key-ctl02";

  @Inject EmbeddedServer server;
  @Inject EventLog log;

  private GatewayFixture gw;

  @Override
  public Map<String, String> getProperties() {
    return GatewayFixture.properties("admin.api.key", ADMIN_KEY);
  }

  @BeforeEach
  void fixture() {
    gw = new GatewayFixture(server.getURI(), log);
  }

  private String url() {
    return "http://" + server.getHost() + ":" + server.getPort();
  }

  private int post(String path, String body) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aRemovalIsTheUnsubscribedEventWithReasonRemoved() throws Exception {
    String room = "team:" + unique("sr");
    String sub = "acct-" + unique("s");
    try (NodeClient client =
        NodeClient.start(url(), gw.token(sub, null, List.of(room), List.of()), "websocket")) {
      client.expect("connect");
      assertThat(post("/admin/rooms/" + room + "/unsubscribe", "{\"sub\":\"" + sub + "\"}"))
          .isEqualTo(202);
      JsonNode notice = client.expect("unsubscribed").get("notice");
      assertThat(notice.get("room").asText()).isEqualTo(room);
      assertThat(notice.get("reason").asText()).isEqualTo("removed");
      JsonNode again = client.request("subscribe", Map.of("room", room));
      assertThat(again.get("ok").asBoolean()).isFalse();
      assertThat(again.get("code").asText()).isEqualTo("forbidden");
    }
  }

  @Test
  void aDisconnectIsAnErrorEventThenAServerDisconnect() throws Exception {
    String sub = "acct-" + unique("d");
    try (NodeClient client =
        NodeClient.start(
            url(), gw.token(sub, null, List.of("team:" + unique("d")), List.of()), "websocket")) {
      client.expect("connect");
      assertThat(post("/admin/users/" + sub + "/disconnect", "{\"code\":4003}")).isEqualTo(202);
      assertThat(client.expect("error").get("error").get("code").asText()).isEqualTo("forbidden");
      assertThat(client.expect("disconnect").get("reason").asText())
          .isEqualTo("io server disconnect");
    }
  }
}
