package dev.relay.engine.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local part of both implementations: removals ({@code "<room> <sub>"} → time) and disconnects
 * ({@code "<code> <sub>"} → time), each bounded by {@link ControlStore#MAX_RECORDS}, and the
 * listeners. Listeners run on {@code notifier}, once per record (a later record of the same key is
 * a new one). Room names and codes never contain a space, so the first space splits a key.
 * Thread-safe.
 */
final class ControlRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ControlRecords.class);

  private final Map<String, Long> removals = new ConcurrentHashMap<>();
  private final Map<String, Long> disconnects = new ConcurrentHashMap<>();
  private final List<ControlListener> listeners = new CopyOnWriteArrayList<>();
  private final Executor notifier;
  private final Duration removalKeep;

  ControlRecords(Duration removalKeep, Executor notifier) {
    Objects.requireNonNull(removalKeep, "removalKeep");
    if (removalKeep.toMillis() < 1) {
      throw new IllegalArgumentException("removalKeep must be positive: " + removalKeep);
    }
    this.removalKeep = removalKeep;
    this.notifier = notifier;
  }

  Duration removalKeep() {
    return removalKeep;
  }

  static String removalKey(String room, String sub) {
    return room + ' ' + sub;
  }

  static String disconnectKey(int code, String sub) {
    return Integer.toString(code) + ' ' + sub;
  }

  /** Records a removal learnt at {@code atMillis}; tells the listeners when it is new. */
  void removed(String key, long atMillis) {
    if (atMillis + removalKeep.toMillis() <= System.currentTimeMillis()) {
      return;
    }
    if (isNew(removals, key, atMillis, removalKeep.toMillis())) {
      int space = key.indexOf(' ');
      String room = key.substring(0, space);
      String sub = key.substring(space + 1);
      tell(listener -> listener.onRemoved(room, sub, atMillis));
    }
  }

  /** Records a disconnect learnt at {@code atMillis}; tells the listeners when it is new. */
  void disconnected(String key, long atMillis) {
    long keep = ControlStore.DISCONNECT_KEEP.toMillis();
    if (atMillis + keep <= System.currentTimeMillis()) {
      return;
    }
    if (isNew(disconnects, key, atMillis, keep)) {
      int space = key.indexOf(' ');
      int code = Integer.parseInt(key.substring(0, space));
      String sub = key.substring(space + 1);
      tell(listener -> listener.onDisconnect(sub, code, atMillis));
    }
  }

  long removedAt(String room, String sub) {
    Long at = removals.get(removalKey(room, sub));
    if (at == null || at + removalKeep.toMillis() <= System.currentTimeMillis()) {
      return 0;
    }
    return at;
  }

  void addListener(ControlListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** True when {@code at} is later than the record kept for {@code key} (which it then becomes). */
  private static boolean isNew(Map<String, Long> records, String key, long at, long keep) {
    if (records.size() >= ControlStore.MAX_RECORDS) {
      prune(records, keep);
    }
    boolean[] fresh = {false};
    records.compute(
        key,
        (k, before) -> {
          if (before == null || at > before) {
            fresh[0] = true;
            return at;
          }
          return before;
        });
    return fresh[0];
  }

  /** Drops expired records; when still full, the oldest tenth (the store keeps the newest too). */
  private static void prune(Map<String, Long> records, long keep) {
    long oldestKept = System.currentTimeMillis() - keep;
    records.values().removeIf(at -> at <= oldestKept);
    if (records.size() >= ControlStore.MAX_RECORDS) {
      long[] times = records.values().stream().mapToLong(Long::longValue).sorted().toArray();
      long cut = times[Math.min(times.length - 1, ControlStore.MAX_RECORDS / 10)];
      records.values().removeIf(at -> at <= cut);
    }
  }

  private void tell(Consumer<ControlListener> call) {
    for (ControlListener listener : listeners) {
      try {
        notifier.execute(() -> notify(listener, call));
      } catch (RejectedExecutionException e) {
        LOG.debug("control store closed; a listener was not told about a record");
      }
    }
  }

  private static void notify(ControlListener listener, Consumer<ControlListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("control listener failed", e);
    }
  }
}
