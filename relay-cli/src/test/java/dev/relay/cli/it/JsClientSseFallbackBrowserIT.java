package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JS client's SSE fallback (SPEC §14) in real chromium: every WebSocket to {@code /realtime} is
 * refused as by a proxy, so after two failures the client streams {@code GET /realtime/sse}; events
 * arrive, and after the gateway is SIGKILLed and restarted the new stream resumes from the last
 * {@code id:} with every event exactly once and in order.
 */
class JsClientSseFallbackBrowserIT {

  private JsClientStack stack;
  private final String room = "team:" + UUID.randomUUID();

  @AfterEach
  void stop() {
    Services.closeAll(stack);
  }

  @Test
  void aBlockedWebSocketFallsBackToSseThatResumesAfterADrop() throws Exception {
    stack = new JsClientStack();
    stack.page.blockWebSocket();
    stack.page.eval(
        "start('"
            + stack.gatewayUrl()
            + "', {sub: 'dave', rooms: ['"
            + room
            + "'], scope: ['subscribe', 'publish'], lifetime: 120}, {minDelay: 100})");
    stack.page.eval("join('" + room + "')");
    await("page connected over SSE")
        .atMost(Duration.ofSeconds(20))
        .until(() -> stack.page.eval("t.states.includes('connected')").asBoolean());
    assertThat(
            stack
                .page
                .eval(
                    "relay.publish('"
                        + room
                        + "', 'task.updated', {taskId: 'x', teamId: 't'})"
                        + ".then(() => 'accepted', (e) => e.code)")
                .asText())
        .isEqualTo("sse_only");

    List<String> published = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      published.add(stack.publish(room, "before-" + n));
    }
    stack.awaitReceived(room, published.size());
    stack.killGateway();
    for (int n = 1; n <= 5; n++) {
      published.add(stack.publish(room, "down-" + n));
    }
    stack.restartGateway();
    published.add(stack.publish(room, "after-1"));

    stack.awaitReceived(room, published.size());
    assertThat(stack.receivedIds(room)).containsExactlyElementsOf(published);
    assertThat(stack.page.eval("t.failed")).isEmpty();
  }
}
