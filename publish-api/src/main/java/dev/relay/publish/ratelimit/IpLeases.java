package dev.relay.publish.ratelimit;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * One shared bucket per key (the per-IP publish limit) taken from the shared {@link RateLimiter} in
 * small leases and handed out locally, so most publishes make no round trip for it.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Never more than the shared bucket gave out: a lease's tokens are taken in the shared bucket
 *       before any of them is used. A lease is {@link #leaseSize} tokens (1/20 of the limit's rate
 *       per second, at least 1, at most its burst) and lasts {@code leaseTime} (200 ms); tokens
 *       unused by then expire. That makes the limit slightly stricter than exact: by at most one
 *       lease per instance per lease time.
 *   <li>Requests for a key while its lease is being fetched wait for that one fetch and then take
 *       from it (a request left without a token starts the next fetch).
 *   <li>When the shared bucket refuses a lease, the requester asks for exactly its one token, and
 *       so does every request for that key during the next lease time: near the limit each request
 *       is one round trip, as without leases, and the answers are the shared bucket's.
 *   <li>Bounded: at most {@code maxEntries} keys. When full, expired entries are swept (at most
 *       once per lease time); a key that still finds no room gets no lease, only its one token in
 *       one round trip. Many source addresses therefore cannot grow memory without bound.
 *   <li>Failure: the shared limiter's own rule (the Redis one fails open, so a lease is granted
 *       while Redis is down, as every request was before). The stage never fails unless the shared
 *       limiter's does.
 * </ul>
 *
 * <p>Thread-safe: one monitor guards the map, held only for in-memory work; no call to the shared
 * limiter and no completion runs under it. Never blocks.
 */
public final class IpLeases {

  /** How long a lease's tokens may be handed out. */
  public static final Duration LEASE_TIME = Duration.ofMillis(200);

  /** The most keys with a lease at once. */
  public static final int MAX_ENTRIES = 10_000;

  private static final CompletableFuture<RateDecision> ALLOWED =
      CompletableFuture.completedFuture(RateDecision.allow());

  /** A key's lease; guarded by the {@link IpLeases} monitor. */
  private static final class Lease {
    /** Tokens left to hand out, valid until {@code until} unless {@code direct}. */
    int left;

    /**
     * End of this lease, or of the direct period after a refused lease ({@link System#nanoTime}).
     */
    long until;

    /** A refused lease: until {@code until}, every request asks the shared bucket for one token. */
    boolean direct;

    /** The fetch under way, completed (after the lease is updated) when it is answered. */
    CompletableFuture<Void> fetch;
  }

  private final RateLimiter shared;
  private final Limit limit;
  private final int leaseSize;
  private final long leaseNanos;
  private final int maxEntries;
  private final LongSupplier nanoClock;

  /** Guarded by {@code this}. */
  private final Map<String, Lease> leases = new HashMap<>();

  /** Guarded by {@code this}. */
  private long nextSweep;

  /** Leases of {@link #LEASE_TIME}, at most {@link #MAX_ENTRIES} keys, on the system clock. */
  public IpLeases(RateLimiter shared, Limit limit) {
    this(shared, limit, LEASE_TIME, MAX_ENTRIES, System::nanoTime);
  }

  IpLeases(
      RateLimiter shared, Limit limit, Duration leaseTime, int maxEntries, LongSupplier nanoClock) {
    this.shared = shared;
    this.limit = limit;
    this.leaseSize = leaseSize(limit);
    this.leaseNanos = leaseTime.toNanos();
    this.maxEntries = maxEntries;
    this.nanoClock = nanoClock;
    this.nextSweep = nanoClock.getAsLong();
  }

  /** 1/20 of the limit's rate per second, at least 1, at most its burst. */
  static int leaseSize(Limit limit) {
    long twentieth = (long) (limit.tokensPerMilli() * 1000 / 20);
    return (int) Math.max(1, Math.min(Math.min(limit.capacity(), twentieth), Integer.MAX_VALUE));
  }

  /** Takes one token of {@code key}'s bucket: from its lease, or as the shared bucket answers. */
  public CompletionStage<RateDecision> acquire(String key) {
    Lease lease;
    CompletableFuture<Void> fetch;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      lease = leases.get(key);
      if (lease == null) {
        if (leases.size() >= maxEntries && !sweep(now)) {
          return shared.tryAcquire(key, limit, 1);
        }
        lease = new Lease();
        lease.until = now;
        leases.put(key, lease);
      }
      boolean live = now - lease.until < 0;
      if (live && !lease.direct && lease.left > 0) {
        lease.left--;
        return ALLOWED;
      }
      if (lease.fetch != null) {
        return lease.fetch.thenCompose(answered -> acquire(key));
      }
      if (live && lease.direct) {
        return shared.tryAcquire(key, limit, 1);
      }
      fetch = new CompletableFuture<>();
      lease.fetch = fetch;
    }
    return fetchLease(key, lease, fetch);
  }

  /** Keys with an entry now (expired ones included until a sweep): for tests and metrics. */
  synchronized int size() {
    return leases.size();
  }

  /** Asks for a lease; the requester takes its token from it or falls back to one token. */
  private CompletionStage<RateDecision> fetchLease(
      String key, Lease lease, CompletableFuture<Void> fetch) {
    return shared
        .tryAcquire(key, limit, leaseSize)
        .handle(
            (decision, failure) -> {
              synchronized (this) {
                long now = nanoClock.getAsLong();
                lease.fetch = null;
                lease.until = now + leaseNanos;
                lease.direct = failure != null || !decision.allowed();
                lease.left = lease.direct ? 0 : leaseSize - 1;
              }
              fetch.complete(null);
              if (failure != null) {
                return CompletableFuture.<RateDecision>failedFuture(failure);
              }
              if (decision.allowed() || leaseSize == 1) {
                return CompletableFuture.completedFuture(decision);
              }
              return shared.tryAcquire(key, limit, 1);
            })
        .thenCompose(answer -> answer);
  }

  /** Drops entries whose lease and direct period are over; true when that made room. */
  private boolean sweep(long now) {
    if (now - nextSweep < 0) {
      return false;
    }
    nextSweep = now + leaseNanos;
    leases.values().removeIf(l -> l.fetch == null && now - l.until >= 0);
    return leases.size() < maxEntries;
  }
}
