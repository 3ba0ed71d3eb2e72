package dev.relay.publish.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link IpLeases} over a fake shared {@link RateLimiter} that records every call and answers as
 * the test says, and a hand-moved clock: leases are used, a fetch is shared, a refused lease falls
 * back to one token, the map is bounded, and leases expire.
 */
class IpLeasesTest {

  private static final Limit THOUSAND_PER_SECOND = Limit.perSecond(1000);
  private static final Duration LEASE = Duration.ofMillis(200);

  /** One call to the shared limiter, answered when the test completes {@code answer}. */
  private record Call(String key, int permits, CompletableFuture<RateDecision> answer) {}

  /** Records calls; answers at once with {@code next} unless {@code hold} is set. */
  private static final class FakeLimiter implements RateLimiter {
    final List<Call> calls = new ArrayList<>();
    RateDecision next = RateDecision.allow();
    boolean hold;

    @Override
    public synchronized CompletionStage<RateDecision> tryAcquire(
        String key, Limit limit, int permits) {
      CompletableFuture<RateDecision> answer = new CompletableFuture<>();
      calls.add(new Call(key, permits, answer));
      if (!hold) {
        answer.complete(next);
      }
      return answer;
    }

    @Override
    public void close() {}

    List<Integer> permits() {
      return calls.stream().map(Call::permits).toList();
    }
  }

  private final FakeLimiter shared = new FakeLimiter();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private IpLeases leases(int maxEntries) {
    return new IpLeases(shared, THOUSAND_PER_SECOND, LEASE, maxEntries, now::get);
  }

  private static RateDecision done(CompletionStage<RateDecision> stage) {
    CompletableFuture<RateDecision> f = stage.toCompletableFuture();
    assertThat(f).isDone();
    return f.join();
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void aLeaseIsOneTwentiethOfTheRatePerSecondAtLeastOneAtMostTheBurst() {
    assertThat(IpLeases.leaseSize(Limit.perSecond(1000))).isEqualTo(50);
    assertThat(IpLeases.leaseSize(Limit.perSecond(10))).isEqualTo(1);
    assertThat(IpLeases.leaseSize(Limit.perMinute(30))).isEqualTo(1);
    assertThat(IpLeases.leaseSize(Limit.perSecond(1000).withBurst(20))).isEqualTo(20);
  }

  @Test
  void oneLeaseServesItsTokensWithoutFurtherRoundTrips() {
    IpLeases leases = leases(100);

    for (int i = 0; i < 50; i++) {
      assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    }
    assertThat(shared.permits()).containsExactly(50);

    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50, 50);
    assertThat(shared.calls).extracting(Call::key).containsOnly("ip:a");
  }

  @Test
  void requestsWhileALeaseIsFetchedShareTheOneFetch() {
    IpLeases leases = leases(100);
    shared.hold = true;
    List<CompletableFuture<RateDecision>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(leases.acquire("ip:a").toCompletableFuture());
    }
    assertThat(shared.calls).hasSize(1);
    assertThat(waiting).noneMatch(CompletableFuture::isDone);

    shared.calls.get(0).answer().complete(RateDecision.allow());

    assertThat(waiting).allMatch(f -> f.isDone() && f.join().allowed());
    assertThat(shared.permits()).containsExactly(50);
  }

  @Test
  void aRefusedLeaseFallsBackToExactlyOneTokenAndStaysDirectForALeaseTime() {
    IpLeases leases = leases(100);
    shared.next = RateDecision.refuseFor(300);

    RateDecision first = done(leases.acquire("ip:a"));
    RateDecision second = done(leases.acquire("ip:a"));

    // the lease of 50 refused, then the single token asked for, refused by the shared bucket too
    assertThat(shared.permits()).containsExactly(50, 1, 1);
    assertThat(first.allowed()).isFalse();
    assertThat(first.retryAfterSeconds()).isEqualTo(1);
    assertThat(second.allowed()).isFalse();

    shared.next = RateDecision.allow();
    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50, 1, 1, 1);

    advance(LEASE);
    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50, 1, 1, 1, 50);
  }

  @Test
  void nearTheLimitTheSingleTokenFallbackIsAllowedWhenTheSharedBucketHasIt() {
    IpLeases leases = leases(100);
    shared.hold = true;
    CompletableFuture<RateDecision> answer = leases.acquire("ip:a").toCompletableFuture();

    shared.calls.get(0).answer().complete(RateDecision.refuseFor(10));
    shared.calls.get(1).answer().complete(RateDecision.allow());

    assertThat(answer).isDone();
    assertThat(answer.join().allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50, 1);
  }

  @Test
  void unusedLeasedTokensExpire() {
    IpLeases leases = leases(100);
    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();

    advance(LEASE.minusMillis(1));
    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50);

    advance(Duration.ofMillis(1));
    assertThat(done(leases.acquire("ip:a")).allowed()).isTrue();
    assertThat(shared.permits()).containsExactly(50, 50);
  }

  @Test
  void theMapIsBoundedAndAFullMapMeansOneRoundTripPerRequest() {
    IpLeases leases = leases(3);
    for (String ip : List.of("ip:a", "ip:b", "ip:c")) {
      done(leases.acquire(ip));
    }
    assertThat(leases.size()).isEqualTo(3);

    // full, and nothing has expired: no lease for a fourth address, its one token asked for
    assertThat(done(leases.acquire("ip:d")).allowed()).isTrue();
    assertThat(done(leases.acquire("ip:d")).allowed()).isTrue();
    assertThat(leases.size()).isEqualTo(3);
    assertThat(shared.calls.subList(3, 5))
        .extracting(Call::key, Call::permits)
        .containsOnly(tuple("ip:d", 1));

    // once the leases expired, a sweep makes room again
    advance(LEASE);
    done(leases.acquire("ip:e"));
    assertThat(leases.size()).isEqualTo(1);
    assertThat(shared.calls.get(5).permits()).isEqualTo(50);
  }

  @Test
  void aFetchUnderWayIsNeverSweptAway() {
    IpLeases leases = leases(1);
    shared.hold = true;
    CompletableFuture<RateDecision> first = leases.acquire("ip:a").toCompletableFuture();
    advance(LEASE.multipliedBy(2));

    CompletableFuture<RateDecision> other = leases.acquire("ip:b").toCompletableFuture();

    assertThat(leases.size()).isEqualTo(1);
    assertThat(shared.calls)
        .extracting(Call::key, Call::permits)
        .containsExactly(tuple("ip:a", 50), tuple("ip:b", 1));
    shared.calls.forEach(c -> c.answer().complete(RateDecision.allow()));
    assertThat(first.join().allowed()).isTrue();
    assertThat(other.join().allowed()).isTrue();
  }
}
