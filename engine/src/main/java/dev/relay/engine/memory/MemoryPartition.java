package dev.relay.engine.memory;

import dev.relay.contracts.EventId;
import dev.relay.engine.Epochs;
import dev.relay.engine.StoredEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition of a {@link MemoryEventLog}: its epoch, its entries in id order, the last generated
 * id and the nonces seen. Each partition has its own random epoch, as in Redis, so equal stream ids
 * of two partitions still make different event ids. Not thread-safe: every method runs under the
 * owning log's lock.
 */
final class MemoryPartition {

  final String epoch = Epochs.random();

  private record Nonce(EventId id, long expiresAtMillis) {}

  private final ArrayList<StoredEvent> entries = new ArrayList<>();

  /** Entries before {@code head} are trimmed; compacted once they are half the list. */
  private int head;

  private long lastMillis;
  private long lastSequence;

  /** Insertion order is expiry order, because the window is the same for every nonce. */
  private final LinkedHashMap<String, Nonce> nonces = new LinkedHashMap<>();

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

  void add(StoredEvent event) {
    entries.add(event);
  }

  /** Drops entries older than {@code minMillis} from the head. */
  void trim(long minMillis) {
    while (head < entries.size() && entries.get(head).id().millis() < minMillis) {
      entries.set(head++, null);
    }
    if (head > 64 && head * 2 > entries.size()) {
      entries.subList(0, head).clear();
      head = 0;
    }
  }

  /** The last id ever generated here (as stream position), or {@code 0-0}. */
  EventId lastGenerated() {
    return new EventId(lastMillis, lastSequence, epoch);
  }

  /** The oldest entry still stored, or null. */
  StoredEvent first() {
    return head < entries.size() ? entries.get(head) : null;
  }

  /** The index of the first entry after {@code position}. */
  int indexAfter(EventId position) {
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

  /** At most {@code max} entries after {@code position}, in order. */
  List<StoredEvent> after(EventId position, int max) {
    int from = indexAfter(position);
    int to = Math.min(entries.size(), from + max);
    return from >= to ? List.of() : List.copyOf(entries.subList(from, to));
  }

  StoredEvent get(int index) {
    return entries.get(index);
  }

  int size() {
    return entries.size();
  }

  /** The id recorded for {@code key} if still within its window. */
  EventId seenNonce(String key, long nowMillis) {
    Iterator<Map.Entry<String, Nonce>> oldest = nonces.entrySet().iterator();
    while (oldest.hasNext()) {
      if (oldest.next().getValue().expiresAtMillis() > nowMillis) {
        break;
      }
      oldest.remove();
    }
    Nonce nonce = nonces.get(key);
    return nonce == null ? null : nonce.id();
  }

  void rememberNonce(String key, EventId id, long expiresAtMillis) {
    nonces.put(key, new Nonce(id, expiresAtMillis));
  }
}
