package dev.relay.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.testkit.EngineIoPolling;
import dev.relay.testkit.RawWebSocket;
import dev.relay.testkit.WsTestClient;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack: an authenticated subscriber stops reading while its room carries 200 events of 60 KB (12
 * MB, twelve times the budget): a JSON WebSocket and a Socket.IO WebSocket behind a 4 KiB receive
 * window, and an Engine.IO long-polling session that never polls again.
 *
 * <p>Bound (SPEC §10): once its unwritten (or, for polling, untaken) bytes pass the 1 MiB outbound
 * budget the connection is closed (JSON 1013, read by a client that reads again at once after the
 * overflow; Socket.IO the transport without DISCONNECT), counted once in {@code
 * relay_errors_total{type="slow_consumer"}}, logged once; the TCP connection is gone within 5 s of
 * that decision; the gateway's memory grows by at most 2 MiB; a healthy subscriber of the same room
 * gets all 200 events in order meanwhile.
 */
@ExtendWith(SharedStack.class)
class SlowConsumerIT {

  private static final int EVENTS = 200;
  private static final String PAYLOAD = "{\"blob\":\"" + "x".repeat(60_000) + "\"}";
  private static HostileStack stack;
  private static GatewayProbe probe;

  @BeforeAll
  static void start(HostileStack shared) throws Exception {
    stack = shared;
    probe = new GatewayProbe(shared);
    // The same traffic to a healthy subscriber alone first: the buffer pools it needs are then in
    // every baseline, and only what a hostile connection adds is measured.
    String room = room();
    try (WsTestClient healthy = healthySubscriber(room)) {
      assertThat(publishAll(room).get(60, TimeUnit.SECONDS)).isEqualTo((long) EVENTS);
      for (int i = 0; i < EVENTS; i++) {
        healthy.expectEvent("load.blob");
      }
    }
  }

  @Test
  void jsonWebSocketThatStopsReadingIsClosedOnceOverBudget() throws Exception {
    String room = room();
    RawWebSocket socket =
        RawWebSocket.open(
            stack.gatewayAddress(),
            "/realtime?token=" + Tokens.connection("slow-json", List.of(room)),
            Map.of(),
            4096);
    assertThat(socket.readText(Duration.ofSeconds(10))).contains("\"welcome\"");
    attackWebSocket(room, socket);
  }

  @Test
  void jsonWebSocketThatReadsAgainAfterTheOverflowFindsClose1013() throws Exception {
    String room = room();
    try (RawWebSocket socket =
        RawWebSocket.open(
            stack.gatewayAddress(),
            "/realtime?token=" + Tokens.connection("slow-json-1013", List.of(room)),
            Map.of(),
            4096)) {
      assertThat(socket.readText(Duration.ofSeconds(10))).contains("\"welcome\"");
      Attack attack = Attack.start(room);
      attack.awaitDecisionOrEnd(() -> false);
      int code = readUntilEnd(socket, Duration.ofSeconds(4)).code();
      SoftAssertions soft = attack.check();
      soft.assertThat(code)
          .as("close code read at once after the slow_consumer count (-1: none in 4 s)")
          .isEqualTo(1013);
      soft.assertAll();
    }
  }

  @Test
  void socketIoWebSocketThatReadsAgainAfterTheOverflowSeesNoDisconnectPacket() throws Exception {
    String room = room();
    try (RawWebSocket socket =
        SocketIoRaw.connect(
            stack.gatewayAddress(), Tokens.connection("slow-sio-again", List.of(room)), 4096)) {
      Attack attack = Attack.start(room);
      attack.awaitDecisionOrEnd(() -> false);
      Ending ending = readUntilEnd(socket, Duration.ofSeconds(4));
      SoftAssertions soft = attack.check();
      soft.assertThat(ending.code())
          .as("the transport closed (-1: still open after 4 s)")
          .isNotEqualTo(-1);
      soft.assertThat(ending.texts())
          .as("packets read before the end: no DISCONNECT, so the stock client recovers")
          .doesNotContain("41");
      soft.assertAll();
    }
  }

  @Test
  void socketIoWebSocketThatStopsReadingIsClosedOnceOverBudget() throws Exception {
    String room = room();
    RawWebSocket socket =
        SocketIoRaw.connect(
            stack.gatewayAddress(), Tokens.connection("slow-sio", List.of(room)), 4096);
    attackWebSocket(room, socket);
  }

  @Test
  void longPollingSessionThatNeverPollsAgainIsClosedOnceOverBudget() throws Exception {
    String room = room();
    EngineIoPolling polling = EngineIoPolling.open(stack.gateway());
    assertThat(
            polling.post("40{\"token\":\"" + Tokens.connection("slow-poll", List.of(room)) + "\"}"))
        .isEqualTo(200);
    assertThat(polling.poll().body()).contains("40");
    Attack attack = Attack.start(room);
    attack.awaitDecisionOrEnd(() -> false);
    // memory first: the late poll takes the backlog and would free what it cost
    SoftAssertions soft = attack.check();
    String late;
    try {
      HttpResponse<String> answer = polling.poll();
      late = answer.statusCode() + " with " + answer.body().length() + " characters";
    } catch (java.io.UncheckedIOException heldOpen) {
      late = "held open: " + heldOpen.getCause();
    }
    soft.assertThat(late)
        .as("a poll after the overflow finds the session closed")
        .startsWith("400");
    soft.assertAll();
  }

  private static void attackWebSocket(String room, RawWebSocket socket) throws Exception {
    try (HostileWriter writer = HostileWriter.probe(socket)) {
      Attack attack = Attack.start(room);
      attack.awaitDecisionOrEnd(writer::ended);
      if (attack.count.decided()) {
        await()
            .atMost(Duration.ofSeconds(7))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    writer.ended()
                        || System.nanoTime() - attack.count.decidedAtNanos() > 6_000_000_000L);
      }
      SoftAssertions soft = attack.check();
      soft.assertThat(writer.ended()).as("TCP connection ended").isTrue();
      if (writer.ended() && attack.count.decided()) {
        soft.assertThat(Duration.ofNanos(writer.endedAtNanos() - attack.count.decidedAtNanos()))
            .as("from the slow_consumer count to the end of the TCP connection")
            .isLessThan(Duration.ofMillis(5_200));
      }
      soft.assertAll();
    }
  }

  private static WsTestClient healthySubscriber(String room) {
    WsTestClient healthy =
        WsTestClient.connect(
            "ws://127.0.0.1:"
                + stack.gateway().getPort()
                + "/realtime?token="
                + Tokens.connection("healthy-" + UUID.randomUUID(), List.of(room)));
    healthy.expect("welcome");
    return healthy;
  }

  /** Publishes the {@link #EVENTS} blobs to {@code room} in order; completes with the 202 count. */
  private static CompletableFuture<Long> publishAll(String room) {
    return CompletableFuture.supplyAsync(
        () -> {
          long accepted = 0;
          for (int i = 0; i < EVENTS; i++) {
            accepted += stack.publish(room, "load.blob", PAYLOAD) == 202 ? 1 : 0;
          }
          return accepted;
        });
  }

  /** How a connection ended for a client that read again: the close code, and what it read. */
  private record Ending(int code, List<String> texts) {}

  /**
   * Reads everything the server still sends, for at most {@code wait}: the close frame's code, 1006
   * when the TCP connection ends without one, -1 when neither happens in time.
   */
  private static Ending readUntilEnd(RawWebSocket socket, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> texts = new ArrayList<>();
    try {
      while (System.nanoTime() < deadline) {
        RawWebSocket.Frame frame =
            socket.read(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        if (frame == null) {
          return new Ending(1006, texts);
        }
        if (frame.opcode() == RawWebSocket.CLOSE) {
          return new Ending(frame.closeCode(), texts);
        }
        if (frame.opcode() == RawWebSocket.TEXT) {
          texts.add(frame.text().length() > 8 ? frame.text().substring(0, 8) : frame.text());
        }
      }
    } catch (SocketTimeoutException quiet) {
      // nothing more within the wait
    }
    return new Ending(-1, texts);
  }

  private static String room() {
    return "team:slow-" + UUID.randomUUID();
  }

  /** One run: a healthy subscriber, the measurements before, the publishing, the verdicts. */
  private static final class Attack {

    private final WsTestClient healthy;
    private final GatewayProbe.Memory before;
    private final SlowConsumerCount count;
    private final int mark;
    private final CompletableFuture<Long> published;

    private Attack(
        WsTestClient healthy,
        GatewayProbe.Memory before,
        SlowConsumerCount count,
        int mark,
        CompletableFuture<Long> published) {
      this.healthy = healthy;
      this.before = before;
      this.count = count;
      this.mark = mark;
      this.published = published;
    }

    static Attack start(String room) {
      WsTestClient healthy = healthySubscriber(room);
      GatewayProbe.Memory before = probe.memoryAfterGc();
      SlowConsumerCount count = SlowConsumerCount.from(probe);
      int mark = probe.logMark();
      CompletableFuture<Long> published = publishAll(room);
      return new Attack(healthy, before, count, mark, published);
    }

    /**
     * Waits until the gateway counts the slow consumer (that moment is the decision), or until
     * {@code ended} holds after publishing, or 10 s after publishing finished.
     */
    void awaitDecisionOrEnd(java.util.function.BooleanSupplier ended) {
      long[] publishedAt = {0};
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (count.decided()) {
                  return true;
                }
                if (!published.isDone()) {
                  return false;
                }
                if (publishedAt[0] == 0) {
                  publishedAt[0] = System.nanoTime();
                }
                return ended.getAsBoolean() || System.nanoTime() - publishedAt[0] > 10_000_000_000L;
              });
    }

    /** Every bound but the connection's own end, softly, so one run reports every symptom. */
    SoftAssertions check() throws Exception {
      long accepted = published.get(60, TimeUnit.SECONDS);
      GatewayProbe.Memory after = probe.memoryAfterGc();
      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(accepted).as("events accepted by publish-api").isEqualTo(EVENTS);
      soft.assertThat(after.growthSince(before))
          .as("memory growth: %s -> %s", before, after)
          .isLessThanOrEqualTo(HostileChecks.CONNECTION_MEMORY_BOUND);
      soft.assertThat(count.decided()).as("counted as slow_consumer").isTrue();
      soft.assertThat(count.added()).as("slow_consumer counted once").isEqualTo(1.0);
      int received = 0;
      try {
        for (; received < EVENTS; received++) {
          healthy.expectEvent("load.blob");
        }
      } catch (AssertionError stalled) {
        // reported below with the count
      }
      soft.assertThat(received).as("events the healthy subscriber got").isEqualTo(EVENTS);
      healthy.close();
      HostileChecks.logLines(soft, probe.logSince(mark), 2);
      return soft;
    }
  }
}
