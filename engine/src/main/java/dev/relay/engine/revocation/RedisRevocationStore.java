package dev.relay.engine.revocation;

import dev.relay.engine.redis.ChannelMirror;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@link RevocationStore} on Redis: the set is the sorted set {@code relay:revoked} (jti →
 * keep-until, Unix seconds), written by one Lua script ({@code revoke.lua}) that also publishes on
 * {@code relay:revocations}. Each instance holds a local copy, kept by a {@link ChannelMirror}:
 * loaded at {@link #start()}, kept current from the channel, and reloaded in full whenever its
 * Pub/Sub connection (re)subscribes — so messages missed while disconnected are made up — and every
 * {@code resyncInterval} as a safety net (Pub/Sub delivers at most once).
 *
 * <p>Listeners and retries run on the daemon thread {@code relay-revocations}.
 */
public final class RedisRevocationStore implements RevocationStore {

  static final String KEY = "relay:revoked";
  static final String CHANNEL = "relay:revocations";

  private static final RedisScript REVOKE =
      RedisScript.load(RedisRevocationStore.class, "revoke.lua");

  private final RedisConnections redis;
  private final Duration resyncInterval;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "relay-revocations");
            thread.setDaemon(true);
            return thread;
          });
  private final RevokedSet revoked;
  private final ChannelMirror mirror;

  /**
   * @param redis shared connections; not closed by {@link #close()}. A Pub/Sub connection of the
   *     store's own is opened from it.
   * @param grace how long after a token's {@code exp} its jti is kept (default 30 s)
   * @param resyncInterval how often the whole set is reloaded regardless (default 60 s)
   */
  public RedisRevocationStore(RedisConnections redis, Duration grace, Duration resyncInterval) {
    this.redis = Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    if (resyncInterval.toMillis() < 1) {
      throw new IllegalArgumentException("resyncInterval must be positive: " + resyncInterval);
    }
    this.resyncInterval = resyncInterval;
    this.revoked = new RevokedSet(grace, worker);
    this.mirror = new ChannelMirror(redis, CHANNEL, this::load, this::apply, worker);
  }

  /** Grace 30 s, resync every 60 s. */
  public RedisRevocationStore(RedisConnections redis) {
    this(redis, Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  @Override
  public CompletionStage<Void> start() {
    return mirror.start(resyncInterval);
  }

  @Override
  public CompletionStage<Boolean> revoke(String jti, Instant exp) {
    Objects.requireNonNull(jti, "jti");
    long until = revoked.keepUntil(exp);
    String[] keys = {KEY};
    return redis.call(
        "revoke",
        c ->
            REVOKE
                .<Long>run(c, ScriptOutputType.INTEGER, keys, jti, Long.toString(until), CHANNEL)
                .thenApply(
                    stored -> {
                      if (stored == 1L) {
                        revoked.add(jti, until);
                      }
                      return stored == 1L;
                    }));
  }

  @Override
  public boolean isRevoked(String jti) {
    return revoked.contains(jti);
  }

  @Override
  public void addListener(RevocationListener listener) {
    revoked.addListener(listener);
  }

  /** Stops following revocations and closes the store's Pub/Sub connection. */
  @Override
  public void close() {
    mirror.close();
    worker.shutdownNow();
  }

  /** One {@code ZRANGEBYSCORE relay:revoked <now> +inf WITHSCORES} into the local set. */
  private CompletionStage<Void> load() {
    Range<Long> current =
        Range.from(Range.Boundary.excluding(RevokedSet.nowSeconds()), Range.Boundary.unbounded());
    return redis.call(
        "revocation load",
        c ->
            c.zrangebyscoreWithScores(KEY, current)
                .thenApply(
                    entries -> {
                      revoked.prune();
                      addAll(entries);
                      return (Void) null;
                    }));
  }

  private void addAll(List<ScoredValue<String>> entries) {
    for (ScoredValue<String> entry : entries) {
      revoked.add(entry.getValue(), (long) entry.getScore());
    }
  }

  /** One channel message {@code "<keep-until> <jti>"}. */
  private void apply(String message) {
    int space = message.indexOf(' ');
    if (space > 0) {
      try {
        revoked.add(message.substring(space + 1), Long.parseLong(message.substring(0, space)));
      } catch (NumberFormatException e) {
        // not from revoke.lua: ignored
      }
    }
  }
}
