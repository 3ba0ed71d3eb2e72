package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JS client ({@code clients/js}, SPEC §14) in real chromium against a real gateway on its own
 * Redis: receive, publish and presence; a gateway SIGKILLed and restarted while events are
 * published, after which the page has every event exactly once and in order; a 15 s token kept
 * alive by refreshes on one connection.
 */
class JsClientBrowserIT {

  private JsClientStack stack;
  private final String room = "team:" + UUID.randomUUID();

  @AfterEach
  void stop() {
    Services.closeAll(stack);
  }

  @Test
  void receivesPublishesAndReadsPresence() throws Exception {
    stack = new JsClientStack();
    connect("alice", 120);

    String fromBackend = stack.publish(room, "b1");
    stack.awaitReceived(room, 1);
    String fromPage =
        page("relay.publish('" + room + "', 'task.updated', {taskId: 'p1', teamId: 't'})").asText();
    stack.awaitReceived(room, 2);
    JsonNode received = page("t.received['" + room + "']");
    assertThat(received.get(0).get("id").asText()).isEqualTo(fromBackend);
    assertThat(received.get(1).get("id").asText()).isEqualTo(fromPage);
    assertThat(received.get(1).get("actor").asText()).isEqualTo("alice");

    JsonNode members = page("relay.presence('" + room + "')");
    assertThat(members.findValuesAsText("sub")).containsExactly("alice");
    assertThat(
            page("relay.publish('team:other', 'task.updated', {taskId: 'x', teamId: 't'})"
                    + ".then(() => 'accepted', (e) => e.code)")
                .asText())
        .isEqualTo("forbidden");
  }

  @Test
  void aKilledAndRestartedGatewayLosesNothingAndRepeatsNothing() throws Exception {
    stack = new JsClientStack();
    connect("bob", 120);
    List<String> published = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      published.add(stack.publish(room, "before-" + n));
    }
    stack.awaitReceived(room, 5);

    stack.killGateway();
    await("page saw the drop")
        .atMost(Duration.ofSeconds(10))
        .until(() -> page("t.states.at(-1)").asText().equals("disconnected"));
    for (int n = 1; n <= 10; n++) {
      published.add(stack.publish(room, "down-" + n));
    }
    stack.restartGateway();
    for (int n = 1; n <= 5; n++) {
      published.add(stack.publish(room, "after-" + n));
    }

    stack.awaitReceived(room, published.size());
    assertThat(stack.receivedIds(room)).containsExactlyElementsOf(published);
    assertThat(page("t.failed")).isEmpty();
    assertThat(page("t.states.at(-1)").asText()).isEqualTo("connected");
  }

  @Test
  void aShortTokenIsRefreshedWithoutReconnecting() throws Exception {
    stack = new JsClientStack();
    connect("carol", 15);
    // Each 15 s token is replaced 5 s into its life: by the fifth the first has been expired for
    // about 5 s, and the gateway closes an unrefreshed connection at exp (4008).
    await("refreshes")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> page("t.tokens").asInt() >= 5);
    String id = stack.publish(room, "late");
    stack.awaitReceived(room, 1);
    assertThat(page("t.received['" + room + "'][0].id").asText()).isEqualTo(id);
    assertThat(page("t.states.join(',')").asText())
        .as("one connection throughout")
        .isEqualTo("connected");
  }

  private void connect(String sub, int lifetimeSeconds) {
    page(
        "start('"
            + stack.gatewayUrl()
            + "', {sub: '"
            + sub
            + "', rooms: ['"
            + room
            + "'], scope: ['subscribe', 'publish', 'presence'], lifetime: "
            + lifetimeSeconds
            + "})");
    page("join('" + room + "')");
    await("page connected")
        .atMost(Duration.ofSeconds(20))
        .until(() -> page("t.states.includes('connected')").asBoolean());
  }

  private JsonNode page(String expression) {
    return stack.page.eval(expression);
  }
}
