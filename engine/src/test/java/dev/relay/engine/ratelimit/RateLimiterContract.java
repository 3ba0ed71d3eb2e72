package dev.relay.engine.ratelimit;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} must do; limiters from {@link #openShared} share buckets. */
public abstract class RateLimiterContract {

  /** Ten tokens, refilled so slowly that no test sees a refill. */
  private static final Limit TEN_PER_HOUR = new Limit(10, 10, Duration.ofHours(1));

  private final List<RateLimiter> opened = new ArrayList<>();

  protected abstract List<RateLimiter> openShared(int count);

  private List<RateLimiter> limiters(int count) {
    List<RateLimiter> limiters = openShared(count);
    opened.addAll(limiters);
    return limiters;
  }

  @AfterEach
  void closeLimiters() {
    opened.forEach(RateLimiter::close);
  }

  @Test
  void twoInstancesShareOneBucketAndTheEleventhIsRefusedWithRetryAfter() {
    List<RateLimiter> limiters = limiters(2);
    Limit tenPerMinute = Limit.perMinute(10);
    for (int i = 0; i < 10; i++) {
      assertThat(done(limiters.get(i % 2).tryAcquire("sub:alice", tenPerMinute, 1)).allowed())
          .as("call %d", i)
          .isTrue();
    }

    RateDecision eleventh = done(limiters.get(1).tryAcquire("sub:alice", tenPerMinute, 1));

    assertThat(eleventh.allowed()).isFalse();
    assertThat(eleventh.retryAfterSeconds()).isBetween(1, 6);
    assertThat(done(limiters.get(0).tryAcquire("sub:bob", tenPerMinute, 1)).allowed()).isTrue();
  }

  @Test
  void concurrentCallersNeverTakeMoreThanTheBucketHolds() {
    List<RateLimiter> limiters = limiters(2);
    List<CompletableFuture<RateDecision>> calls =
        IntStream.range(0, 60)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> done(limiters.get(i % 2).tryAcquire("ip:10.0.0.1", TEN_PER_HOUR, 1))))
            .toList();

    long allowed =
        calls.stream().map(CompletableFuture::join).filter(RateDecision::allowed).count();

    assertThat(allowed).isEqualTo(10);
  }

  @Test
  void tokensComeBackAtTheRefillRateUpToTheBurst() {
    RateLimiter limiter = limiters(1).get(0);
    Limit fast = new Limit(2, 20, Duration.ofSeconds(1));
    assertThat(done(limiter.tryAcquire("conn:1:typing", fast, 2)).allowed()).isTrue();
    assertThat(done(limiter.tryAcquire("conn:1:typing", fast, 1)).allowed()).isFalse();

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> done(limiter.tryAcquire("conn:1:typing", fast, 1)).allowed());
  }

  @Test
  void severalPermitsAtOnceAndTheBurstOnTopOfTheRate() {
    RateLimiter limiter = limiters(1).get(0);
    Limit roomLimit = new Limit(100, 100, Duration.ofHours(1)).withBurst(200);
    assertThat(done(limiter.tryAcquire("room:team:1", roomLimit, 150)).allowed()).isTrue();
    assertThat(done(limiter.tryAcquire("room:team:1", roomLimit, 50)).allowed()).isTrue();
    assertThat(done(limiter.tryAcquire("room:team:1", roomLimit, 1)).allowed()).isFalse();
  }

  @Test
  void retryAfterIsClampedToSixtySeconds() {
    RateLimiter limiter = limiters(1).get(0);
    done(limiter.tryAcquire("ip:slow", TEN_PER_HOUR, 10));

    RateDecision refused = done(limiter.tryAcquire("ip:slow", TEN_PER_HOUR, 1));

    assertThat(refused).isEqualTo(new RateDecision(false, 60));
  }

  @Test
  void permitsOutsideOneToCapacityAreRefusedAsBadArguments() {
    RateLimiter limiter = limiters(1).get(0);
    assertThatThrownBy(() -> limiter.tryAcquire("k", TEN_PER_HOUR, 11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.tryAcquire("k", TEN_PER_HOUR, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limit(0, 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
