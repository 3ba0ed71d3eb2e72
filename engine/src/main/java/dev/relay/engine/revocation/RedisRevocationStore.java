package dev.relay.engine.revocation;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RevocationStore} on Redis: the set is the sorted set {@code relay:revoked} (jti →
 * keep-until, Unix seconds), written by one Lua script ({@code revoke.lua}) that also publishes on
 * {@code relay:revocations}. Each instance holds a local copy: loaded at {@link #start()}, kept
 * current from the channel, and reloaded in full whenever its Pub/Sub connection (re)subscribes —
 * so messages missed while disconnected are made up — and every {@code resyncInterval} as a safety
 * net (Pub/Sub delivers at most once).
 *
 * <p>Listeners and retries run on the daemon thread {@code relay-revocations}.
 */
public final class RedisRevocationStore implements RevocationStore {

  static final String KEY = "relay:revoked";
  static final String CHANNEL = "relay:revocations";

  private static final Logger LOG = LoggerFactory.getLogger(RedisRevocationStore.class);
  private static final RedisScript REVOKE =
      RedisScript.load(RedisRevocationStore.class, "revoke.lua");
  private static final long RETRY_MILLIS = 1000;

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
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean reloading = new AtomicBoolean();
  private volatile boolean reloadAgain;
  private volatile boolean closed;
  private volatile StatefulRedisPubSubConnection<String, String> channel;

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
  }

  /** Grace 30 s, resync every 60 s. */
  public RedisRevocationStore(RedisConnections redis) {
    this(redis, Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  @Override
  public CompletionStage<Void> start() {
    if (started.compareAndSet(false, true)) {
      subscribe();
      long every = resyncInterval.toMillis();
      worker.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }
    return load();
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
    closed = true;
    worker.shutdownNow();
    StatefulRedisPubSubConnection<String, String> current = channel;
    if (current != null) {
      current.closeAsync();
    }
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

  /** Loads the set; on failure tries again every second until it works or the store closes. */
  private void reload() {
    if (closed) {
      return;
    }
    if (!reloading.compareAndSet(false, true)) {
      reloadAgain = true;
      return;
    }
    load()
        .whenComplete(
            (done, failure) -> {
              reloading.set(false);
              if (failure != null) {
                LOG.debug("reloading revocations failed, retrying: {}", failure.getMessage());
                retryLater(this::reload);
              } else if (reloadAgain) {
                reloadAgain = false;
                reload();
              }
            });
  }

  /** Opens the Pub/Sub connection; on failure tries again every second until the store closes. */
  private void subscribe() {
    if (closed) {
      return;
    }
    redis
        .pubSub()
        .whenComplete(
            (connection, failure) -> {
              if (failure != null) {
                LOG.debug("revocation channel unavailable, retrying: {}", failure.getMessage());
                retryLater(this::subscribe);
              } else {
                listen(connection);
              }
            });
  }

  private void listen(StatefulRedisPubSubConnection<String, String> connection) {
    channel = connection;
    if (closed) {
      connection.closeAsync();
      return;
    }
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            int space = message.indexOf(' ');
            if (CHANNEL.equals(channel) && space > 0) {
              revoked.add(
                  message.substring(space + 1), Long.parseLong(message.substring(0, space)));
            }
          }

          /** Also called when Lettuce re-subscribes after a reconnect: make up for the gap. */
          @Override
          public void subscribed(String channel, long count) {
            if (CHANNEL.equals(channel)) {
              reload();
            }
          }
        });
    connection
        .async()
        .subscribe(CHANNEL)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                connection.closeAsync();
                retryLater(this::subscribe);
              }
            });
  }

  private void retryLater(Runnable task) {
    if (!closed) {
      try {
        worker.schedule(task, RETRY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        LOG.debug("revocation store closed while retrying");
      }
    }
  }
}
