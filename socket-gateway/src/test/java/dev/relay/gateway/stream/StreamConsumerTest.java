package dev.relay.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.EventDraft;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FanoutObserver;
import dev.relay.gateway.hub.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer against the memory log with scripted faults ({@link ScriptedEventLog}) and the real
 * hub, whose observer records every dispatched event.
 */
class StreamConsumerTest {

  private static final int PARTITIONS = 4;
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int D = 3;

  private final ScriptedEventLog log =
      new ScriptedEventLog(new MemoryEventLog(PARTITIONS, Duration.ofMinutes(5)));
  private final List<StoredEvent> dispatched = new CopyOnWriteArrayList<>();
  private final Hub hub = new Hub(new Recording());
  private final List<Integer> lost = new CopyOnWriteArrayList<>();
  private final List<Long> readFailuresAt = new CopyOnWriteArrayList<>();
  private StreamConsumer consumer;

  @AfterEach
  void stop() {
    if (consumer != null) {
      consumer.close();
    }
    log.close();
  }

  @Test
  void dispatchesEveryEventOnceInPartitionOrderFromTheTail() {
    List<EventId> before = List.of(publish(A), publish(B));
    start(3, System::nanoTime); // batches smaller than what is appended
    List<EventId> appended = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      appended.add(publish(i % PARTITIONS));
    }
    await().until(() -> dispatched.size() >= appended.size());
    assertThat(ids())
        .containsExactlyInAnyOrderElementsOf(appended)
        .doesNotContainAnyElementsOf(before);
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(idsIn(p)).isSortedAccordingTo(EventId::compareTo);
    }
    assertThat(hub.positions().position(D)).isEqualTo(appended.get(appended.size() - 1));
    assertThat(lost).isEmpty();
    assertThat(log.checked).isEmpty();
  }

  @Test
  void afterAFailedReadBacksOffThenVerifiesAndDeliversWhatWasAppendedOnce() {
    EventId a0 = publish(A);
    EventId b0 = publish(B);
    start();
    EventId c0 = publish(C);
    await().until(() -> ids().contains(c0));
    assertThat(consumer.isHealthy()).isTrue();

    log.down = true;
    log.failPendingRead();
    await().until(() -> !consumer.isHealthy());
    EventId a1 = publish(A);
    EventId d1 = publish(D);
    await().until(() -> readFailuresAt.size() >= 4);
    assertThat(ids()).doesNotContain(a1, d1);
    log.down = false;

    await().until(() -> ids().containsAll(List.of(a1, d1)) && consumer.isHealthy());
    assertThat(ids()).containsExactlyInAnyOrder(c0, a1, d1);
    Map<Integer, EventId> checked = new HashMap<>(); // one check, or two if a read came first
    log.checked.forEach(checked::putAll);
    assertThat(checked).isEqualTo(Map.of(A, a0, B, b0, C, c0)); // D had no position
    List<Long> failures = List.copyOf(readFailuresAt);
    for (int i = 1; i < 4; i++) {
      long backoff = 100L << (i - 1);
      assertThat(failures.get(i) - failures.get(i - 1))
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(backoff));
    }
    assertThat(lost).isEmpty();
  }

  @Test
  void aTruncatedPartitionIsLostOnceAndReadOnAfterTheCheckWhileOthersFlow() {
    EventId a0 = publish(A);
    publish(B);
    start();
    log.down = true;
    log.failPendingRead();
    await().until(() -> !consumer.isHealthy());
    EventId a1 = publish(A); // appended between the failure and the check: not delivered here
    EventId b1 = publish(B);
    log.truncate.add(A);
    log.down = false;

    await().until(() -> !lost.isEmpty() && ids().contains(b1));
    assertThat(lost).containsExactly(A);
    assertThat(log.checked).first().satisfies(check -> assertThat(check).containsEntry(A, a0));
    assertThat(hub.positions().position(A))
        .isEqualTo(new EventId(a1.millis(), a1.sequence(), "moved" + A));

    EventId a2 = publish(A);
    EventId b2 = publish(B);
    await().until(() -> ids().containsAll(List.of(b2)) && idsIn(A).size() == 1);
    assertThat(idsIn(A)).containsExactly(new EventId(a2.millis(), a2.sequence(), "moved" + A));
    assertThat(idsIn(B)).containsExactly(b1, b2);
    assertThat(lost).containsExactly(A);
  }

  @Test
  void anUnreadablePartitionIsHeldBackUntilVerifiedWhileOthersFlow() {
    EventId a0 = publish(A);
    publish(B);
    start();
    log.unreadable.add(A);
    log.uncheckable.add(A);
    EventId a1 = publish(A);
    EventId b1 = publish(B);
    await().until(() -> ids().contains(b1));
    awaitFailedChecks(2);
    assertThat(ids()).doesNotContain(a1);

    log.unreadable.clear(); // readable again, but its position cannot be checked yet
    awaitFailedChecks(2);
    assertThat(ids()).doesNotContain(a1);

    log.uncheckable.clear();
    EventId b2 = publish(B);
    await().until(() -> ids().containsAll(List.of(a1, b2)));
    assertThat(idsIn(A)).containsExactly(a1);
    assertThat(idsIn(B)).containsExactly(b1, b2);
    assertThat(log.checked).anySatisfy(check -> assertThat(check).containsEntry(A, a0));
    assertThat(lost).isEmpty();
  }

  @Test
  void anEpochChangeInReadEntriesIsLostOnce() {
    publish(A);
    start();
    EventId a1 = publish(A);
    await().until(() -> ids().contains(a1));
    log.epochs.put(A, "other");

    EventId a2 = publish(A);
    EventId b1 = publish(B);
    await().until(() -> ids().contains(b1) && idsIn(A).size() == 2);
    EventId a3 = publish(A);
    await().until(() -> idsIn(A).size() == 3);
    assertThat(lost).containsExactly(A);
    assertThat(idsIn(A))
        .containsExactly(
            a1,
            new EventId(a2.millis(), a2.sequence(), "other"),
            new EventId(a3.millis(), a3.sequence(), "other"));
  }

  @Test
  void aSlowCheckIsTriedAheadOfReadsAgainOnlyAfterItsPause() {
    publish(A);
    publish(B);
    start(500, log::nanoTime);
    log.slowChecks = true;
    log.uncheckable.add(A);
    log.unreadable.add(A);
    EventId a1 = publish(A);
    awaitFailedChecks(1);

    EventId b1 = publish(B);
    await().until(() -> ids().contains(b1));
    int reads = log.reads.get();
    await().until(() -> log.reads.get() >= reads + 3);
    assertThat(log.failedChecks).hasValue(1);

    log.advance(Duration.ofSeconds(5));
    awaitFailedChecks(1);
    assertThat(ids()).doesNotContain(a1);

    log.unreadable.clear();
    log.uncheckable.clear();
    await().until(() -> ids().contains(a1));
    assertThat(idsIn(A)).containsExactly(a1);
    assertThat(lost).isEmpty();
  }

  private void start() {
    start(500, System::nanoTime);
  }

  private void start(int batchSize, LongSupplier nanoTime) {
    consumer =
        new StreamConsumer(
            log,
            hub,
            lost::add,
            () -> readFailuresAt.add(System.nanoTime()),
            Duration.ofMillis(50),
            batchSize,
            nanoTime);
    consumer.start();
    await().until(() -> hub.positions() != null && consumer.isHealthy());
  }

  private void awaitFailedChecks(int more) {
    int target = log.failedChecks.get() + more;
    await().until(() -> log.failedChecks.get() >= target);
  }

  private EventId publish(int partition) {
    EventDraft draft = new EventDraft(roomIn(partition), "vote.cast", "{}", null, null, null, null);
    return log.memory.append(draft).toCompletableFuture().join().id();
  }

  private static String roomIn(int partition) {
    RedisKeyLayout layout = new RedisKeyLayout(PARTITIONS);
    for (int i = 0; ; i++) {
      if (layout.partitionOf("room:" + i) == partition) {
        return "room:" + i;
      }
    }
  }

  private List<EventId> ids() {
    return dispatched.stream().map(StoredEvent::id).toList();
  }

  private List<EventId> idsIn(int partition) {
    return dispatched.stream()
        .filter(e -> e.partition() == partition)
        .map(StoredEvent::id)
        .toList();
  }

  private final class Recording implements FanoutObserver {
    @Override
    public void dispatched(StoredEvent event, int subscribers) {
      StreamConsumerTest.this.dispatched.add(event);
    }

    @Override
    public void written(Delivery delivery) {}

    @Override
    public void slowConsumerClosed() {}
  }
}
