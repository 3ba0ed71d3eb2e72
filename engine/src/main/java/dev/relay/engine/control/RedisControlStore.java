package dev.relay.engine.control;

import dev.relay.engine.redis.ChannelMirror;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * {@link ControlStore} on Redis, modelled on the revocation store: the records are two sorted sets,
 * {@code relay:control:removals} ({@code "<room> <sub>"} → time ms) and {@code
 * relay:control:disconnects} ({@code "<code> <sub>"} → time ms), each written by one Lua script
 * ({@code record.lua}) that also publishes {@code "<r|d> <time> <member>"} on {@code
 * relay:control}. Each instance holds a local copy, kept by a {@link ChannelMirror}: loaded at
 * {@link #start()}, kept current from the channel, reloaded in full whenever its Pub/Sub connection
 * (re)subscribes and every {@code resyncInterval}. A channel message is at most {@code 2 + 14 + 1 +
 * 161 + 1 + 256} characters (kind, time, room or code, sub: the API refuses longer ones); anything
 * that does not parse is ignored.
 *
 * <p>Listeners and retries run on the daemon thread {@code relay-control}.
 */
public final class RedisControlStore implements ControlStore {

  static final String REMOVALS = "relay:control:removals";
  static final String DISCONNECTS = "relay:control:disconnects";
  static final String CHANNEL = "relay:control";

  /** The longest channel message read; longer ones cannot come from {@code record.lua}. */
  static final int MAX_MESSAGE = 512;

  private static final RedisScript RECORD = RedisScript.load(RedisControlStore.class, "record.lua");

  private final RedisConnections redis;
  private final Duration resyncInterval;
  private final ChannelMirror mirror;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "relay-control");
            thread.setDaemon(true);
            return thread;
          });
  private final ControlRecords records;

  /**
   * @param redis shared connections; not closed by {@link #close()}. A Pub/Sub connection of the
   *     store's own is opened from it.
   * @param removalKeep how long a removal is kept (token lifetime plus skew, default 330 s)
   * @param resyncInterval how often every record is reloaded regardless (default 60 s)
   */
  public RedisControlStore(RedisConnections redis, Duration removalKeep, Duration resyncInterval) {
    this.redis = Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    if (resyncInterval.toMillis() < 1) {
      throw new IllegalArgumentException("resyncInterval must be positive: " + resyncInterval);
    }
    this.resyncInterval = resyncInterval;
    this.records = new ControlRecords(removalKeep, worker);
    this.mirror = new ChannelMirror(redis, CHANNEL, this::load, this::apply, worker);
  }

  @Override
  public CompletionStage<Void> start() {
    return mirror.start(resyncInterval);
  }

  @Override
  public CompletionStage<Long> remove(String room, String sub) {
    String member = ControlRecords.removalKey(room, sub);
    return record(REMOVALS, member, records.removalKeep(), "r")
        .thenApply(
            at -> {
              records.removed(member, at);
              return at;
            });
  }

  @Override
  public CompletionStage<Long> disconnect(String sub, int code) {
    String member = ControlRecords.disconnectKey(code, sub);
    return record(DISCONNECTS, member, DISCONNECT_KEEP, "d")
        .thenApply(
            at -> {
              records.disconnected(member, at);
              return at;
            });
  }

  @Override
  public long removedAt(String room, String sub) {
    return records.removedAt(room, sub);
  }

  @Override
  public Duration removalKeep() {
    return records.removalKeep();
  }

  @Override
  public void addListener(ControlListener listener) {
    records.addListener(listener);
  }

  /** Stops following signals and closes the store's Pub/Sub connection. */
  @Override
  public void close() {
    mirror.close();
    worker.shutdownNow();
  }

  private CompletionStage<Long> record(String key, String member, Duration keep, String kind) {
    String[] keys = {key};
    return redis.call(
        "control " + kind,
        c ->
            RECORD
                .<String>run(
                    c,
                    ScriptOutputType.VALUE,
                    keys,
                    member,
                    Long.toString(keep.toMillis()),
                    Integer.toString(MAX_RECORDS),
                    CHANNEL,
                    kind)
                .thenApply(Long::parseLong));
  }

  /** Both sets, records younger than their keep, into the local copy. */
  private CompletionStage<Void> load() {
    long now = System.currentTimeMillis();
    CompletionStage<Void> removals =
        loadSet(REMOVALS, now - records.removalKeep().toMillis(), records::removed);
    CompletionStage<Void> disconnects =
        loadSet(DISCONNECTS, now - DISCONNECT_KEEP.toMillis(), records::disconnected);
    return CompletableFuture.allOf(
        removals.toCompletableFuture(), disconnects.toCompletableFuture());
  }

  private CompletionStage<Void> loadSet(String key, long since, BiConsumer<String, Long> into) {
    Range<Long> current = Range.from(Range.Boundary.excluding(since), Range.Boundary.unbounded());
    return redis.call(
        "control load",
        c ->
            c.zrangebyscoreWithScores(key, current)
                .thenApply(
                    entries -> {
                      addAll(entries, into);
                      return (Void) null;
                    }));
  }

  private static void addAll(List<ScoredValue<String>> entries, BiConsumer<String, Long> into) {
    for (ScoredValue<String> entry : entries) {
      into.accept(entry.getValue(), (long) entry.getScore());
    }
  }

  /** One channel message {@code "<r|d> <time> <member>"}; malformed ones are ignored. */
  private void apply(String message) {
    if (message.length() > MAX_MESSAGE || message.length() < 5 || message.charAt(1) != ' ') {
      return;
    }
    int space = message.indexOf(' ', 2);
    if (space < 0 || message.indexOf(' ', space + 1) < 0) {
      return;
    }
    long at;
    try {
      at = Long.parseLong(message.substring(2, space));
    } catch (NumberFormatException e) {
      return;
    }
    String member = message.substring(space + 1);
    if (message.charAt(0) == 'r') {
      records.removed(member, at);
    } else if (message.charAt(0) == 'd' && member.matches("\\d{4} .+")) {
      records.disconnected(member, at);
    }
  }
}
