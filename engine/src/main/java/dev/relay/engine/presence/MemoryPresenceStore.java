package dev.relay.engine.presence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link PresenceStore} for one process (dev mode, unit tests), with the same semantics as {@link
 * RedisPresenceStore}: instances, liveness and sweeps included, so a test can play several gateways
 * on one store. One monitor guards all state; every call is a short in-memory step and completes
 * before it returns.
 */
public final class MemoryPresenceStore implements PresenceStore {

  /** room → field ({@code instance|connection|sub}) → joinedAt millis. */
  private final Map<String, Map<String, Long>> rooms = new HashMap<>();

  /** room → sub → number of connections (live or not yet swept); sorted for {@link #rooms}. */
  private final TreeMap<String, Map<String, Integer>> counts = new TreeMap<>();

  /** room → sub → info / state JSON (SPEC §11); removed with the user's last connection. */
  private final Map<String, Map<String, String>> infos = new HashMap<>();

  private final Map<String, Map<String, String>> states = new HashMap<>();

  /** instance → liveness deadline millis. */
  private final Map<String, Long> live = new HashMap<>();

  private final Duration instanceTtl;

  public MemoryPresenceStore(Duration instanceTtl) {
    this.instanceTtl = requireTtl(instanceTtl);
  }

  /** Instance TTL 30 s. */
  public MemoryPresenceStore() {
    this(Duration.ofSeconds(30));
  }

  @Override
  public CompletionStage<PresenceChange> enter(
      String room, String sub, String connectionId, String instanceId, String info) {
    String field = field(instanceId, connectionId, sub);
    IllegalArgumentException tooLarge = checkData(info, "info");
    if (tooLarge != null) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    synchronized (this) {
      long now = System.currentTimeMillis();
      live.merge(instanceId, now + instanceTtl.toMillis(), Math::max);
      put(infos, room, sub, info);
      if (rooms.computeIfAbsent(room, r -> new LinkedHashMap<>()).putIfAbsent(field, now) != null) {
        return CompletableFuture.completedFuture(PresenceChange.NONE);
      }
      Map<String, Integer> subs = counts.computeIfAbsent(room, r -> new HashMap<>());
      int n = subs.merge(sub, 1, Integer::sum);
      return CompletableFuture.completedFuture(PresenceChange.of(n == 1, subs.size() == 1));
    }
  }

  @Override
  public CompletionStage<PresenceChange> exit(
      String room, String sub, String connectionId, String instanceId) {
    String field = field(instanceId, connectionId, sub);
    synchronized (this) {
      Map<String, Long> connections = rooms.get(room);
      if (connections == null || connections.remove(field) == null) {
        return CompletableFuture.completedFuture(PresenceChange.NONE);
      }
      if (connections.isEmpty()) {
        rooms.remove(room);
      }
      boolean last = decrement(room, sub);
      return CompletableFuture.completedFuture(PresenceChange.of(last, !counts.containsKey(room)));
    }
  }

  @Override
  public CompletionStage<Boolean> setState(String room, String sub, String state) {
    Objects.requireNonNull(state, "state");
    IllegalArgumentException tooLarge = checkData(state, "state");
    if (tooLarge != null) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    synchronized (this) {
      if (!counts.getOrDefault(room, Map.of()).containsKey(sub)) {
        return CompletableFuture.completedFuture(false);
      }
      put(states, room, sub, state);
      return CompletableFuture.completedFuture(true);
    }
  }

  @Override
  public synchronized CompletionStage<List<PresenceMember>> members(String room) {
    long now = System.currentTimeMillis();
    Map<String, Long> earliest = new HashMap<>();
    rooms
        .getOrDefault(room, Map.of())
        .forEach(
            (field, joinedAt) -> {
              if (isAlive(instanceOf(field), now)) {
                earliest.merge(subOf(field), joinedAt, Math::min);
              }
            });
    List<PresenceMember> members = new ArrayList<>(earliest.size());
    Map<String, String> roomInfos = infos.getOrDefault(room, Map.of());
    Map<String, String> roomStates = states.getOrDefault(room, Map.of());
    earliest.forEach(
        (sub, at) ->
            members.add(
                new PresenceMember(
                    sub, Instant.ofEpochMilli(at), roomInfos.get(sub), roomStates.get(sub))));
    members.sort(Comparator.comparing(PresenceMember::joinedAt).thenComparing(PresenceMember::sub));
    return CompletableFuture.completedFuture(List.copyOf(members));
  }

  @Override
  public CompletionStage<Boolean> heartbeat(String instanceId) {
    requireId(instanceId, "instanceId");
    synchronized (this) {
      long now = System.currentTimeMillis();
      Long before = live.put(instanceId, now + instanceTtl.toMillis());
      return CompletableFuture.completedFuture(before != null && before >= now);
    }
  }

  @Override
  public CompletionStage<List<PresenceLoss>> sweep(int maxRooms) {
    if (maxRooms < 1) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("maxRooms < 1"));
    }
    List<PresenceLoss> lost = new ArrayList<>();
    synchronized (this) {
      long now = System.currentTimeMillis();
      int visited = 0;
      Iterator<Map.Entry<String, Map<String, Long>>> roomIterator = rooms.entrySet().iterator();
      while (roomIterator.hasNext() && visited < maxRooms) {
        Map.Entry<String, Map<String, Long>> entry = roomIterator.next();
        String room = entry.getKey();
        boolean touched = false;
        Iterator<String> fields = entry.getValue().keySet().iterator();
        while (fields.hasNext()) {
          String field = fields.next();
          if (!isAlive(instanceOf(field), now)) {
            fields.remove();
            touched = true;
            if (decrement(room, subOf(field))) {
              lost.add(new PresenceLoss(room, subOf(field), !counts.containsKey(room)));
            }
          }
        }
        if (entry.getValue().isEmpty()) {
          roomIterator.remove();
        }
        if (touched) {
          visited++;
        }
      }
      if (!roomIterator.hasNext()) {
        live.values().removeIf(deadline -> deadline < now);
      }
    }
    return CompletableFuture.completedFuture(List.copyOf(lost));
  }

  @Override
  public synchronized CompletionStage<RoomPage> rooms(String prefix, String after, int limit) {
    checkPage(prefix, limit);
    List<OccupiedRoom> page = new ArrayList<>(Math.min(limit, 64));
    Map<String, Map<String, Integer>> tail =
        after == null || after.compareTo(prefix) < 0
            ? counts.tailMap(prefix, true)
            : counts.tailMap(after, false);
    for (Map.Entry<String, Map<String, Integer>> entry : tail.entrySet()) {
      if (!entry.getKey().startsWith(prefix)) {
        break;
      }
      if (page.size() == limit) {
        return CompletableFuture.completedFuture(new RoomPage(page, true));
      }
      page.add(new OccupiedRoom(entry.getKey(), entry.getValue().size()));
    }
    return CompletableFuture.completedFuture(new RoomPage(page, false));
  }

  /** The arguments every {@link #rooms} implementation checks. */
  static void checkPage(String prefix, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1 || limit > MAX_ROOMS_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_ROOMS_PAGE + ": " + limit);
    }
  }

  @Override
  public Duration instanceTtl() {
    return instanceTtl;
  }

  @Override
  public void close() {}

  /** Null when {@code value} fits {@link #MAX_DATA_BYTES}; else the error to fail with. */
  static IllegalArgumentException checkData(String value, String name) {
    if (value != null && value.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
      return new IllegalArgumentException(name + " larger than " + MAX_DATA_BYTES + " bytes");
    }
    return null;
  }

  /** Sets or (null) removes {@code room}'s entry for {@code sub}. Caller holds the lock. */
  private static void put(
      Map<String, Map<String, String>> map, String room, String sub, String value) {
    if (value != null) {
      map.computeIfAbsent(room, r -> new HashMap<>()).put(sub, value);
    } else {
      forget(map, room, sub);
    }
  }

  private static void forget(Map<String, Map<String, String>> map, String room, String sub) {
    Map<String, String> bySub = map.get(room);
    if (bySub != null && bySub.remove(sub) != null && bySub.isEmpty()) {
      map.remove(room);
    }
  }

  /** The connection's key: {@code instance|connection|sub}; the ids must not contain '|'. */
  static String field(String instanceId, String connectionId, String sub) {
    requireId(instanceId, "instanceId");
    requireId(connectionId, "connectionId");
    Objects.requireNonNull(sub, "sub");
    return instanceId + '|' + connectionId + '|' + sub;
  }

  static void requireId(String id, String name) {
    Objects.requireNonNull(id, name);
    if (id.isEmpty() || id.indexOf('|') >= 0) {
      throw new IllegalArgumentException(name + " must be non-empty and without '|': " + id);
    }
  }

  static Duration requireTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "instanceTtl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("instanceTtl must be at least 1 ms: " + ttl);
    }
    return ttl;
  }

  private boolean isAlive(String instanceId, long now) {
    Long deadline = live.get(instanceId);
    return deadline != null && deadline >= now;
  }

  /** One connection of {@code sub} fewer; {@code true} when it was the last. Caller holds lock. */
  private boolean decrement(String room, String sub) {
    Map<String, Integer> subs = counts.get(room);
    Integer n = subs == null ? null : subs.get(sub);
    if (n == null || n <= 1) {
      forget(infos, room, sub);
      forget(states, room, sub);
      if (subs != null) {
        subs.remove(sub);
        if (subs.isEmpty()) {
          counts.remove(room);
        }
      }
      return true;
    }
    subs.put(sub, n - 1);
    return false;
  }

  private static String instanceOf(String field) {
    return field.substring(0, field.indexOf('|'));
  }

  private static String subOf(String field) {
    return field.substring(field.indexOf('|', field.indexOf('|') + 1) + 1);
  }
}
