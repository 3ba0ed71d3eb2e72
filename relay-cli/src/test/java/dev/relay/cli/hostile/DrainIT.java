package dev.relay.cli.hostile;

import static org.awaitility.Awaitility.await;

import dev.relay.testkit.EngineIoPolling;
import dev.relay.testkit.RawWebSocket;
import dev.relay.testkit.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack: clients (the stock Socket.IO client among them) reconnect to a gateway that is draining
 * after SIGTERM, so it never empties.
 *
 * <p>Bound (SPEC §10 "Drain", §8): as soon as {@code /readyz} answers 503, a WebSocket upgrade on
 * {@code /realtime}, a WebSocket upgrade on {@code /socket.io/} and an Engine.IO polling handshake
 * are each refused with 503, while the open connections are still being closed over the drain
 * window.
 */
class DrainIT {

  private static HostileStack stack;

  @BeforeAll
  static void start() {
    stack = HostileStack.start("drain");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void drainingGatewayRefusesUpgradesAndHandshakesWith503AtOnce() throws Exception {
    List<WsTestClient> open = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      WsTestClient client = WsTestClient.connect(realtime("drained-" + i));
      client.expect("welcome");
      open.add(client);
    }
    stack.gatewayProcess().destroy(); // SIGTERM
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> stack.getGateway("/readyz").statusCode() == 503);

    int realtime;
    try (RawWebSocket socket =
        RawWebSocket.open(
            stack.gatewayAddress(),
            "/realtime?token=" + Tokens.connection("late-" + UUID.randomUUID(), List.of()),
            Map.of(),
            64 * 1024)) {
      realtime = socket.status();
    }
    int socketIo;
    try (RawWebSocket socket =
        RawWebSocket.open(stack.gatewayAddress(), SocketIoRaw.PATH, Map.of(), 64 * 1024)) {
      socketIo = socket.status();
    }
    int polling = EngineIoPolling.handshake(stack.gateway(), Map.of()).statusCode();
    long stillOpen = open.stream().filter(client -> !client.isClosed()).count();

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(stillOpen).as("connections not yet drained when probing").isPositive();
    soft.assertThat(realtime).as("WebSocket upgrade on /realtime while draining").isEqualTo(503);
    soft.assertThat(socketIo).as("WebSocket upgrade on /socket.io/ while draining").isEqualTo(503);
    soft.assertThat(polling).as("Engine.IO polling handshake while draining").isEqualTo(503);
    soft.assertAll();
    open.forEach(WsTestClient::close);
  }

  private static String realtime(String sub) {
    return "ws://127.0.0.1:"
        + stack.gateway().getPort()
        + "/realtime?token="
        + Tokens.connection(sub + "-" + UUID.randomUUID(), List.of());
  }
}
