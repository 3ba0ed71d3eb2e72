package dev.relay.publish.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerDeadlinesTest {

  private final AnswerDeadlines deadlines = new AnswerDeadlines(Duration.ofMillis(20));

  @AfterEach
  void close() {
    deadlines.close();
  }

  @Test
  void anAnswerThatCameInTimeLeavesNoTimerBehind() {
    AtomicInteger timedOut = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      CompletableFuture<String> answer = new CompletableFuture<>();
      deadlines.bound(
          answer, System.nanoTime() + Duration.ofMinutes(1).toNanos(), timedOut::incrementAndGet);
      answer.complete("stored");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.pending() == 0);
    assertThat(timedOut).hasValue(0);
  }

  @Test
  void doneAnswersLeaveWhileAnOlderOneIsStillPending() {
    AtomicInteger timedOut = new AtomicInteger();
    CompletableFuture<String> slow = new CompletableFuture<>();
    long start = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    deadlines.bound(slow, start, timedOut::incrementAndGet);
    for (int i = 0; i < 1000; i++) {
      CompletableFuture<String> answer = new CompletableFuture<>();
      deadlines.bound(answer, start, timedOut::incrementAndGet);
      answer.complete("stored");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.pending() == 1);
    assertThat(timedOut).hasValue(0);
  }

  @Test
  void aLateAnswerTimesOutOnceOnTheTimerThreadNotBeforeItsDeadline() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    AtomicInteger timedOut = new AtomicInteger();
    CompletableFuture<Long> firedAfter = new CompletableFuture<>();
    CompletableFuture<String> thread = new CompletableFuture<>();
    long start = System.nanoTime();
    deadlines.bound(
        answer,
        start,
        () -> {
          timedOut.incrementAndGet();
          firedAfter.complete(System.nanoTime() - start);
          thread.complete(Thread.currentThread().getName());
        });
    await().atMost(Duration.ofSeconds(5)).until(thread::isDone);
    assertThat(thread.join()).isEqualTo("relay-publish-deadlines");
    assertThat(firedAfter.join()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    await().atMost(Duration.ofSeconds(5)).until(() -> deadlines.pending() == 0);
    assertThat(timedOut).hasValue(1);
  }

  @Test
  void anIdleSweeperParksAndTheNextPublishWakesIt() {
    await().atMost(Duration.ofSeconds(5)).until(deadlines::idle);
    CompletableFuture<String> answer = new CompletableFuture<>();
    CompletableFuture<Void> fired = new CompletableFuture<>();
    deadlines.bound(answer, System.nanoTime(), () -> fired.complete(null));
    await().atMost(Duration.ofSeconds(5)).until(fired::isDone);
    assertThat(deadlines.idle()).isFalse();
  }

  @Test
  void anActionThatThrowsDoesNotStopTheOthers() {
    CompletableFuture<Void> second = new CompletableFuture<>();
    deadlines.bound(
        new CompletableFuture<>(),
        System.nanoTime(),
        () -> {
          throw new IllegalStateException("boom");
        });
    deadlines.bound(new CompletableFuture<>(), System.nanoTime(), () -> second.complete(null));
    await().atMost(Duration.ofSeconds(5)).until(second::isDone);
    CompletableFuture<Void> later = new CompletableFuture<>();
    deadlines.bound(new CompletableFuture<>(), System.nanoTime(), () -> later.complete(null));
    await().atMost(Duration.ofSeconds(5)).until(later::isDone);
  }

  @Test
  void aDoneAnswerOrAClosedTimerSchedulesNothing() {
    AtomicInteger timedOut = new AtomicInteger();
    deadlines.bound(
        CompletableFuture.completedFuture("x"), System.nanoTime(), timedOut::incrementAndGet);
    assertThat(deadlines.pending()).isZero();
    deadlines.bound(new CompletableFuture<>(), System.nanoTime(), timedOut::incrementAndGet);
    deadlines.close();
    deadlines.bound(new CompletableFuture<>(), System.nanoTime(), timedOut::incrementAndGet);
    assertThat(deadlines.pending()).isZero();
    await()
        .during(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(1))
        .until(() -> timedOut.get() == 0);
  }
}
