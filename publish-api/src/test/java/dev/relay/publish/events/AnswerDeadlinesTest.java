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
    assertThat(deadlines.pending()).isZero();
    assertThat(timedOut).hasValue(0);
  }

  @Test
  void aLateAnswerTimesOutOnceOnTheTimerThread() {
    CompletableFuture<String> answer = new CompletableFuture<>();
    AtomicInteger timedOut = new AtomicInteger();
    CompletableFuture<String> thread = new CompletableFuture<>();
    deadlines.bound(
        answer,
        System.nanoTime(),
        () -> {
          timedOut.incrementAndGet();
          thread.complete(Thread.currentThread().getName());
        });
    await().atMost(Duration.ofSeconds(5)).until(thread::isDone);
    assertThat(thread.join()).isEqualTo("relay-publish-deadlines");
    assertThat(timedOut).hasValue(1);
    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void aDoneAnswerOrAClosedTimerSchedulesNothing() {
    AtomicInteger timedOut = new AtomicInteger();
    deadlines.bound(
        CompletableFuture.completedFuture("x"), System.nanoTime(), timedOut::incrementAndGet);
    deadlines.close();
    deadlines.bound(new CompletableFuture<>(), System.nanoTime(), timedOut::incrementAndGet);
    assertThat(deadlines.pending()).isZero();
    assertThat(timedOut).hasValue(0);
  }
}
