package dev.relay.engine.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local copy of a small Redis record set current, for stores whose reads must not cost a
 * round trip (revocations, server-side control): follows one Pub/Sub channel ({@code onMessage} per
 * message), and reloads the whole set ({@code load}) whenever the channel is (re)subscribed — so
 * messages missed while disconnected are made up — and every {@code resyncInterval} as a safety net
 * (Pub/Sub delivers at most once). A failed subscribe or load is retried every second until it
 * works or the mirror closes; overlapping reloads collapse into one more. Everything runs on the
 * caller's single-threaded {@code worker}, which the mirror does not shut down.
 */
public final class ChannelMirror {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelMirror.class);
  private static final long RETRY_MILLIS = 1000;

  private final RedisConnections redis;
  private final String channelName;
  private final Supplier<CompletionStage<Void>> load;
  private final Consumer<String> onMessage;
  private final ScheduledExecutorService worker;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean reloading = new AtomicBoolean();
  private volatile boolean reloadAgain;
  private volatile boolean closed;
  private volatile StatefulRedisPubSubConnection<String, String> channel;

  public ChannelMirror(
      RedisConnections redis,
      String channelName,
      Supplier<CompletionStage<Void>> load,
      Consumer<String> onMessage,
      ScheduledExecutorService worker) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.channelName = Objects.requireNonNull(channelName, "channelName");
    this.load = Objects.requireNonNull(load, "load");
    this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
    this.worker = Objects.requireNonNull(worker, "worker");
  }

  /**
   * Subscribes and schedules the periodic reload (once), then loads the set; the stage fails when
   * this first load fails (the channel's subscription reloads again once Redis answers).
   */
  public CompletionStage<Void> start(Duration resyncInterval) {
    if (resyncInterval.toMillis() < 1) {
      throw new IllegalArgumentException("resyncInterval must be positive: " + resyncInterval);
    }
    if (started.compareAndSet(false, true)) {
      subscribe();
      long every = resyncInterval.toMillis();
      worker.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }
    return load.get();
  }

  /** Stops following and closes the Pub/Sub connection. */
  public void close() {
    closed = true;
    StatefulRedisPubSubConnection<String, String> current = channel;
    if (current != null) {
      current.closeAsync();
    }
  }

  private void reload() {
    if (closed) {
      return;
    }
    if (!reloading.compareAndSet(false, true)) {
      reloadAgain = true;
      return;
    }
    load.get()
        .whenComplete(
            (done, failure) -> {
              reloading.set(false);
              if (failure != null) {
                LOG.debug("reloading {} failed, retrying: {}", channelName, failure.getMessage());
                retryLater(this::reload);
              } else if (reloadAgain) {
                reloadAgain = false;
                reload();
              }
            });
  }

  private void subscribe() {
    if (closed) {
      return;
    }
    redis
        .pubSub()
        .whenComplete(
            (connection, failure) -> {
              if (failure != null) {
                LOG.debug("{} unavailable, retrying: {}", channelName, failure.getMessage());
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
          public void message(String from, String message) {
            if (channelName.equals(from)) {
              onMessage.accept(message);
            }
          }

          /** Also called when Lettuce re-subscribes after a reconnect: make up for the gap. */
          @Override
          public void subscribed(String from, long count) {
            if (channelName.equals(from)) {
              reload();
            }
          }
        });
    connection
        .async()
        .subscribe(channelName)
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
        LOG.debug("{} mirror closed while retrying", channelName);
      }
    }
  }
}
