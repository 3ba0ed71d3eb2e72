package dev.relay.cli.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testkit.RawWebSocket;
import dev.relay.testkit.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack: one subscribe-only connection sends 300 subscribe/unsubscribe pairs for one room as fast
 * as it can (the review saw 3,000 pairs write 6,280 presence events to Redis in 2 s), on the JSON
 * protocol and on Socket.IO.
 *
 * <p>Bound (SPEC §10 "Subscription churn"): subscribe and unsubscribe are limited per connection
 * (20/s, burst 40): at most 40 + 20 per started second are accepted, the rest answered {@code
 * rate_limited}; a presence watcher of the room sees {@code presence.joined} and {@code
 * presence.left} for that member at most once per second each; the condition is logged at most
 * once.
 */
@ExtendWith(SharedStack.class)
class ChurnIT {

  private static final int PAIRS = 300;
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static HostileStack stack;
  private static GatewayProbe probe;

  @BeforeAll
  static void start(HostileStack shared) {
    stack = shared;
    probe = new GatewayProbe(shared);
  }

  @Test
  void subscribeChurnOnJsonIsRateLimitedAndPresenceIsDamped() throws Exception {
    String room = "team:churn-" + UUID.randomUUID();
    try (WsTestClient watcher = watcher(room);
        WsTestClient churner = json(Tokens.connection("churner-json", List.of("team:*")))) {
      churner.expect("welcome");
      int mark = probe.logMark();
      long started = System.nanoTime();
      for (int i = 0; i < PAIRS; i++) {
        churner.sendJson("type", "subscribe", "room", room);
        churner.sendJson("type", "unsubscribe", "room", room);
      }
      int accepted = 0;
      int limited = 0;
      for (int i = 0; i < 2 * PAIRS; i++) {
        JsonNode reply = churner.expect(m -> true, "a reply");
        String type = reply.path("type").asText();
        accepted += type.equals("subscribed") || type.equals("unsubscribed") ? 1 : 0;
        limited += "rate_limited".equals(reply.path("code").asText()) ? 1 : 0;
      }
      verdict(watcher, started, accepted, limited, mark);
    }
  }

  @Test
  void subscribeChurnOnSocketIoIsRateLimitedAndPresenceIsDamped() throws Exception {
    String room = "team:churn-" + UUID.randomUUID();
    RawWebSocket churner =
        SocketIoRaw.connect(
            stack.gatewayAddress(), Tokens.connection("churner-sio", List.of("team:*")), 1 << 20);
    try (WsTestClient watcher = watcher(room)) {
      int mark = probe.logMark();
      long started = System.nanoTime();
      for (int i = 0; i < PAIRS; i++) {
        SocketIoRaw.emit(churner, 2 * i, "subscribe", Map.of("room", room));
        SocketIoRaw.emit(churner, 2 * i + 1, "unsubscribe", Map.of("room", room));
      }
      int accepted = 0;
      int limited = 0;
      for (int i = 0; i < 2 * PAIRS; i++) {
        JsonNode ack = SocketIoRaw.arguments(SocketIoRaw.next(churner, "3", SETTLE)).path(0);
        accepted += ack.path("ok").asBoolean() ? 1 : 0;
        limited += "rate_limited".equals(ack.path("code").asText()) ? 1 : 0;
      }
      verdict(watcher, started, accepted, limited, mark);
    } finally {
      churner.close();
    }
  }

  private static void verdict(
      WsTestClient watcher, long started, int accepted, int limited, int mark) {
    double answeredAfter = (System.nanoTime() - started) / 1e9;
    List<String> presence = presenceEvents(watcher);
    double window = (System.nanoTime() - started) / 1e9;
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(accepted)
        .as("requests accepted in %.1f s (20/s, burst 40)", answeredAfter)
        .isLessThanOrEqualTo(40 + 20 * (int) Math.ceil(answeredAfter));
    soft.assertThat(limited).as("requests answered rate_limited").isPositive();
    soft.assertThat(presence.stream().filter("presence.joined"::equals).count())
        .as("presence.joined seen by a watcher in %.1f s", window)
        .isLessThanOrEqualTo((long) Math.ceil(window) + 1);
    soft.assertThat(presence.stream().filter("presence.left"::equals).count())
        .as("presence.left seen by a watcher in %.1f s", window)
        .isLessThanOrEqualTo((long) Math.ceil(window) + 1);
    HostileChecks.logLines(soft, probe.logSince(mark), 1);
    soft.assertAll();
  }

  /** A member of {@code room} with scope {@code presence}: it receives presence events. */
  private static WsTestClient watcher(String room) {
    WsTestClient watcher =
        json(
            Tokens.connection(
                    "watcher-" + UUID.randomUUID(),
                    null,
                    List.of(room),
                    List.of("subscribe", "presence"))
                .jwt());
    watcher.expect("welcome");
    return watcher;
  }

  /** The types of the presence events the watcher receives until nothing came for 2 s. */
  private static List<String> presenceEvents(WsTestClient watcher) {
    List<String> types = new ArrayList<>();
    for (JsonNode next = watcher.poll(SETTLE);
        next != null && types.size() <= 4 * PAIRS;
        next = watcher.poll(SETTLE)) {
      String type = next.path("event").path("type").asText();
      if (type.startsWith("presence.")) {
        types.add(type);
      }
    }
    return types;
  }

  private static WsTestClient json(String token) {
    return WsTestClient.connect(
        "ws://127.0.0.1:" + stack.gateway().getPort() + "/realtime?token=" + token);
  }
}
