package dev.relay.engine.memory;

import dev.relay.contracts.EventId;
import dev.relay.engine.Epochs;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room of a {@link MemoryEventLog}: the in-process twin of the Redis stream and meta hash of a
 * room. Its epoch is random per life; {@code appended} counts the entries appended in this life, so
 * a read from the life's start ({@code 0-0.<epoch>}) can prove that nothing was trimmed. Not
 * thread-safe: every method runs under the owning log's lock.
 */
final class MemoryRoom {

  /** As in Redis ({@code history.lua}): the most entries one history read scans. */
  static final int HISTORY_SCAN_LIMIT = 2_000;

  final String epoch = Epochs.random();

  private record Nonce(EventId id, long expiresAtMillis) {}

  private final ArrayList<StoredEvent> entries = new ArrayList<>();

  /** Entries before {@code head} are trimmed; compacted once they are half the list. */
  private int head;

  private long lastMillis;
  private long lastSequence;
  private long appended;
  long touchedMillis;

  /** The room's open streamed messages (SPEC §12). */
  final MemoryMessages messages = new MemoryMessages();

  /** Insertion order is expiry order, because the window is the same for every nonce. */
  private final LinkedHashMap<String, Nonce> nonces = new LinkedHashMap<>();

  MemoryRoom(long nowMillis) {
    this.touchedMillis = nowMillis;
  }

  /** The next id, as Redis makes it: the clock, or the last id's sequence plus one. */
  EventId nextId(long nowMillis) {
    if (nowMillis > lastMillis) {
      lastMillis = nowMillis;
      lastSequence = 0;
    } else {
      lastSequence++;
    }
    return new EventId(lastMillis, lastSequence, epoch);
  }

  /** Appends, then trims entries older than {@code minMillis} and beyond {@code maxLength}. */
  void add(StoredEvent event, long minMillis, int maxLength) {
    entries.add(event);
    appended++;
    touchedMillis = event.id().millis();
    while (head < entries.size() - 1
        && (entries.get(head).id().millis() < minMillis || entries.size() - head > maxLength)) {
      entries.set(head++, null);
    }
    if (head > 64 && head * 2 > entries.size()) {
      entries.subList(0, head).clear();
      head = 0;
    }
  }

  /** The newest id of this life, {@code 0-0.<epoch>} before the first append. */
  EventId last() {
    return new EventId(lastMillis, lastSequence, epoch);
  }

  /**
   * The entries after {@code after}, with the proof rules of {@code EventLog.replay}; volatile ones
   * only when {@code withVolatile}.
   */
  Replay read(EventId after, int max, boolean withVolatile) {
    if (!epoch.equals(after.epoch())) {
      return Replay.refused(Outcome.EPOCH_CHANGED);
    }
    int cmp = after.compareTo(last());
    if (cmp > 0) {
      return Replay.refused(Outcome.UNKNOWN_ID);
    }
    if (cmp == 0) {
      return Replay.complete(List.of());
    }
    boolean fromStart = after.millis() == 0 && after.sequence() == 0;
    if (fromStart
        ? entries.size() - head != appended
        : entries.get(head).id().compareTo(after) > 0) {
      return Replay.refused(Outcome.TRIMMED);
    }
    List<StoredEvent> events = new ArrayList<>();
    for (int i = indexAfter(after); i < entries.size(); i++) {
      StoredEvent event = entries.get(i);
      if (withVolatile || !event.volatileEvent()) {
        if (events.size() == max) {
          return Replay.refused(Outcome.TOO_MANY);
        }
        events.add(event);
      }
    }
    return Replay.complete(events);
  }

  /** See {@code EventLog.history}; scans at most {@link #HISTORY_SCAN_LIMIT} entries. */
  History history(int limit, EventId before, long minMillis) {
    if (before != null && !epoch.equals(before.epoch())) {
      return History.empty();
    }
    int from = before == null ? entries.size() : indexAfter(before);
    if (before != null && from > head && entries.get(from - 1).id().equals(before)) {
      from--;
    }
    List<StoredEvent> events = new ArrayList<>(limit);
    int scanned = 0;
    for (int i = from - 1; i >= head; i--) {
      StoredEvent event = entries.get(i);
      if (event.id().millis() < minMillis) {
        break;
      }
      if (++scanned > HISTORY_SCAN_LIMIT) {
        return new History(events, true);
      }
      if (!event.volatileEvent()) {
        if (events.size() == limit) {
          return new History(events, true);
        }
        events.add(event);
      }
    }
    return new History(events, false);
  }

  private int indexAfter(EventId position) {
    int low = head;
    int high = entries.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (entries.get(mid).id().compareTo(position) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The id recorded for {@code nonce} if still within its window. */
  EventId seenNonce(String nonce, long nowMillis) {
    Iterator<Map.Entry<String, Nonce>> oldest = nonces.entrySet().iterator();
    while (oldest.hasNext()) {
      if (oldest.next().getValue().expiresAtMillis() > nowMillis) {
        break;
      }
      oldest.remove();
    }
    Nonce seen = nonces.get(nonce);
    return seen == null ? null : seen.id();
  }

  void rememberNonce(String nonce, EventId id, long expiresAtMillis) {
    nonces.put(nonce, new Nonce(id, expiresAtMillis));
  }

  boolean hasNonces() {
    return !nonces.isEmpty();
  }
}
