package dev.relay.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.testkit.RawWebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack: a WebSocket with no token and no {@code Origin} floods ping frames (60 MiB at most) and
 * never reads, so every pong the gateway owes it backs up behind a 4 KiB receive window.
 *
 * <p>Bound (SPEC §10): pongs are queued only within the 1 MiB outbound budget (over → close 1013);
 * the 10 s authentication deadline (close 4001) holds whatever the client sends; a close completes
 * within 5 s although the peer never reads. So the TCP connection is gone within 15 s of the
 * upgrade, the gateway's memory (heap after GC + direct) grows by at most 2 MiB during the flood,
 * and it prints at most 2 log lines about the connection, INFO/WARN, without a stack trace.
 *
 * <p>The same flood from an authenticated connection has no deadline to end it: the budget alone
 * must. It is closed once its unsent pongs pass 1 MiB, counted once as {@code slow_consumer}, its
 * TCP connection gone within 5 s of that count, with the same memory and log bounds.
 */
@ExtendWith(SharedStack.class)
class PingFloodIT {

  private static final long FLOOD_BYTES = 60L * 1024 * 1024;
  private static HostileStack stack;
  private static GatewayProbe probe;

  @BeforeAll
  static void start(HostileStack shared) throws Exception {
    stack = shared;
    probe = new GatewayProbe(shared);
    warmUp();
  }

  /**
   * Polite ping traffic on several connections at once (so on every event loop) before anything is
   * measured: the buffer pools that any ping traffic needs are then in place, and what the
   * measurements see is what the hostile connection itself holds (as SlowConsumerIT does).
   */
  private static void warmUp() throws Exception {
    List<Thread> threads = new java.util.ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int c = 0; c < 8; c++) {
      Thread t =
          new Thread(
              () -> {
                String token = Tokens.connection("warm-" + UUID.randomUUID(), List.of());
                try (RawWebSocket socket =
                    RawWebSocket.open(
                        stack.gatewayAddress(), "/realtime?token=" + token, Map.of(), 65536)) {
                  socket.readText(Duration.ofSeconds(10));
                  // Bursts that queue pongs (as a flood does), each then read to the end.
                  for (int burst = 0; burst < 16; burst++) {
                    for (int batch = 0; batch < 4; batch++) {
                      socket.sendRaw(pings());
                    }
                    for (int pong = 0; pong < 4 * 256; ) {
                      RawWebSocket.Frame frame = socket.read(Duration.ofSeconds(10));
                      if (frame == null) {
                        throw new IllegalStateException("no pong within 10 s");
                      }
                      pong += frame.opcode() == RawWebSocket.PONG ? 1 : 0;
                    }
                  }
                } catch (Exception | AssertionError e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(failures).as("warm-up").isEmpty();
  }

  @Test
  void pingFloodOnRealtimeIsBoundedAndEndsByTheAuthDeadline() throws Exception {
    flood("/realtime");
  }

  @Test
  void pingFloodOnSocketIoIsBoundedAndEndsByTheAuthDeadline() throws Exception {
    flood(SocketIoRaw.PATH);
  }

  @Test
  void pingFloodFromAnAuthenticatedJsonClientIsClosedOnceOverBudget() throws Exception {
    String token = Tokens.connection("flooder-" + UUID.randomUUID(), List.of());
    RawWebSocket socket =
        RawWebSocket.open(stack.gatewayAddress(), "/realtime?token=" + token, Map.of(), 4096);
    assertThat(socket.readText(Duration.ofSeconds(10))).contains("\"welcome\"");
    floodAuthenticated(socket);
  }

  @Test
  void pingFloodFromAConnectedSocketIoClientIsClosedOnceOverBudget() throws Exception {
    String token = Tokens.connection("flooder-" + UUID.randomUUID(), List.of());
    floodAuthenticated(SocketIoRaw.connect(stack.gatewayAddress(), token, 4096));
  }

  private void floodAuthenticated(RawWebSocket socket) throws Exception {
    GatewayProbe.Memory before = probe.memoryAfterGc();
    SlowConsumerCount count = SlowConsumerCount.from(probe);
    int mark = probe.logMark();
    long started = System.nanoTime();
    try (HostileWriter writer = HostileWriter.start(socket, pings(), FLOOD_BYTES)) {
      // the decision, or the flood's peak plus 3 s to decide
      long[] floodedAt = {0};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (count.decided()) {
                  return true;
                }
                if (floodedAt[0] == 0 && (!writer.flooding() || since(started).toSeconds() >= 8)) {
                  floodedAt[0] = System.nanoTime();
                }
                return floodedAt[0] != 0 && since(floodedAt[0]).toSeconds() >= 3;
              });
      GatewayProbe.Memory peak = probe.memoryAfterGc();
      if (count.decided()) {
        await()
            .atMost(Duration.ofSeconds(7))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> writer.ended() || since(count.decidedAtNanos()).toSeconds() >= 6);
      }

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(peak.growthSince(before))
          .as("memory growth after %d bytes of pings: %s -> %s", writer.sent(), before, peak)
          .isLessThanOrEqualTo(HostileChecks.FLOODING_CONNECTION_MEMORY_BOUND);
      soft.assertThat(count.decided()).as("counted as slow_consumer").isTrue();
      soft.assertThat(count.added()).as("slow_consumer counted once").isEqualTo(1.0);
      soft.assertThat(writer.ended()).as("TCP connection ended").isTrue();
      if (writer.ended() && count.decided()) {
        soft.assertThat(Duration.ofNanos(writer.endedAtNanos() - count.decidedAtNanos()))
            .as("from the slow_consumer count to the end of the TCP connection")
            .isLessThan(Duration.ofMillis(5_200));
      }
      HostileChecks.logLines(soft, probe.logSince(mark), 2);
      soft.assertAll();
    }
  }

  /** 256 ping frames with the largest control payload (125 bytes), for one TCP write. */
  private static byte[] pings() {
    return HostileWriter.repeat(RawWebSocket.frame(RawWebSocket.PING, new byte[125]), 256);
  }

  private void flood(String path) throws Exception {
    GatewayProbe.Memory before = probe.memoryAfterGc();
    int mark = probe.logMark();
    RawWebSocket socket = RawWebSocket.open(stack.gatewayAddress(), path, Map.of(), 4096);
    long opened = System.nanoTime();
    try (HostileWriter writer = HostileWriter.start(socket, pings(), FLOOD_BYTES)) {
      // the flood's peak: every byte sent, the server stopped reading, or 8 s (< auth deadline)
      await()
          .atMost(Duration.ofSeconds(9))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !writer.flooding() || since(opened).toMillis() >= 8_000);
      GatewayProbe.Memory peak = probe.memoryAfterGc();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> writer.ended() || since(opened).toMillis() > 17_000);
      Duration lifetime = Duration.ofNanos(writer.endedAtNanos() - opened);

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(socket.status()).as("upgrade status").isEqualTo(101);
      soft.assertThat(peak.growthSince(before))
          .as("memory growth after %d bytes of pings: %s -> %s", writer.sent(), before, peak)
          .isLessThanOrEqualTo(HostileChecks.CONNECTION_MEMORY_BOUND);
      soft.assertThat(writer.ended())
          .as("TCP connection ended within 15 s of the upgrade (10 s auth + 5 s close)")
          .isTrue();
      if (writer.ended()) {
        soft.assertThat(lifetime).as("connection lifetime").isLessThan(Duration.ofMillis(15_500));
      }
      HostileChecks.logLines(soft, probe.logSince(mark), 2);
      soft.assertAll();
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }
}
