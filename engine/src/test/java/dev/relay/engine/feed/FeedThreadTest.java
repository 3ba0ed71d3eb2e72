package dev.relay.engine.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.EngineUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The feed's one thread, its own or a shared single-threaded executor: the same guarantees. */
class FeedThreadTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final ScheduledExecutorService shared = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopShared() {
    shared.shutdownNow();
  }

  private FeedThread thread(boolean onShared) {
    return onShared ? new FeedThread(shared) : new FeedThread();
  }

  @ParameterizedTest(name = "shared executor: {0}")
  @ValueSource(booleans = {false, true})
  void tasksRunOneAtATimeInHandOverOrderAndAThrowingTaskDoesNotStopTheOthers(boolean onShared) {
    FeedThread thread = thread(onShared);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    IntStream.range(0, 100)
        .forEach(
            i ->
                thread.execute(
                    () -> {
                      threads.add(Thread.currentThread().getName());
                      if (i == 50) {
                        throw new IllegalStateException("boom");
                      }
                      ran.add(i);
                    },
                    null));
    await().atMost(WAIT).until(() -> ran.size() == 99);
    assertThat(ran).isSorted().doesNotContain(50);
    assertThat(threads).containsOnly(threads.get(0));
    if (!onShared) {
      assertThat(threads.get(0)).isEqualTo("relay-feed");
    }
    thread.close();
  }

  @ParameterizedTest(name = "shared executor: {0}")
  @ValueSource(booleans = {false, true})
  void afterCloseNothingRunsAndAHandOverFailsItsFuture(boolean onShared) throws Exception {
    FeedThread thread = thread(onShared);
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    thread.execute(
        () -> {
          blocked.countDown();
          awaitQuietly(release);
        },
        null);
    assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
    thread.execute(() -> ran.add("queued before close"), null);
    thread.schedule(() -> ran.add("retry"), 1);
    thread.close();
    release.countDown();

    CompletableFuture<Void> refused = new CompletableFuture<>();
    thread.execute(() -> ran.add("after close"), refused);
    assertThat(refused)
        .failsWithin(WAIT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(EngineUnavailableException.class);
    // Whatever was queued has had its turn by the time a later task on the executor runs.
    Supplier<Boolean> drained =
        () -> {
          if (!onShared) {
            return true;
          }
          CompletableFuture<Boolean> marker = new CompletableFuture<>();
          shared.schedule(() -> marker.complete(true), 50, TimeUnit.MILLISECONDS);
          return marker.join();
        };
    assertThat(drained.get()).isTrue();
    assertThat(ran).isEmpty();
  }

  @ParameterizedTest(name = "shared executor: {0}")
  @ValueSource(booleans = {true})
  void closingLeavesASharedExecutorRunning(boolean onShared) throws Exception {
    FeedThread thread = thread(onShared);
    thread.close();
    assertThat(shared.isShutdown()).isFalse();
    assertThat(shared.submit(() -> "still runs").get(5, TimeUnit.SECONDS)).isEqualTo("still runs");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
