package dev.relay.engine.presence;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link PresenceStore} in Redis, shared by every gateway on one Redis (standalone or Cluster).
 *
 * <p>All keys of a room live in the room's presence shard slot {@code {p<N>}} ({@link
 * RedisKeyLayout#presenceShardOf}, one of {@link RedisKeyLayout#PRESENCE_SHARDS}), so join, leave,
 * members and sweep are each one atomic Lua script and one round trip. Liveness is kept per shard
 * ({@code relay:{p<N>}:presence:live}, instance → deadline), so a sweep can check it in the same
 * atomic step; a heartbeat writes all shards in one pipeline. Times come from Redis ({@code TIME}),
 * so gateways with skewed clocks agree. See {@code docs/stores.md}.
 */
public final class RedisPresenceStore implements PresenceStore {

  private static final RedisScript JOIN = RedisScript.load(RedisPresenceStore.class, "join.lua");
  private static final RedisScript LEAVE = RedisScript.load(RedisPresenceStore.class, "leave.lua");
  private static final RedisScript MEMBERS =
      RedisScript.load(RedisPresenceStore.class, "members.lua");
  private static final RedisScript HEARTBEAT =
      RedisScript.load(RedisPresenceStore.class, "heartbeat.lua");
  private static final RedisScript STATE = RedisScript.load(RedisPresenceStore.class, "state.lua");
  private static final RedisScript SWEEP = RedisScript.load(RedisPresenceStore.class, "sweep.lua");
  private static final RedisScript ROOMS = RedisScript.load(RedisPresenceStore.class, "rooms.lua");
  private static final int ROOMS_PER_SCRIPT = 50;

  private final RedisConnections redis;
  private final Duration instanceTtl;

  /**
   * @param redis shared connections; not closed by {@link #close()}
   * @param instanceTtl how long an instance stays alive after a heartbeat (default 30 s)
   */
  public RedisPresenceStore(RedisConnections redis, Duration instanceTtl) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.instanceTtl = MemoryPresenceStore.requireTtl(instanceTtl);
  }

  @Override
  public CompletionStage<PresenceChange> enter(
      String room, String sub, String connectionId, String instanceId, String info) {
    String field = MemoryPresenceStore.field(instanceId, connectionId, sub);
    IllegalArgumentException tooLarge = MemoryPresenceStore.checkData(info, "info");
    if (tooLarge != null) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    int p = RedisKeyLayout.presenceShardOf(room);
    String[] keys = {
      roomKey(p, room),
      subsKey(p, room),
      instanceKey(p, instanceId),
      liveKey(p),
      infoKey(p, room),
      occupiedKey(p),
      countsKey(p)
    };
    String ttl = Long.toString(instanceTtl.toMillis());
    String infoArg = info == null ? "" : info;
    return redis.call(
        "presence join",
        c ->
            JOIN.<Long>run(
                    c, ScriptOutputType.INTEGER, keys, field, sub, room, instanceId, ttl, infoArg)
                .thenApply(RedisPresenceStore::change));
  }

  @Override
  public CompletionStage<Boolean> setState(String room, String sub, String state) {
    Objects.requireNonNull(sub, "sub");
    Objects.requireNonNull(state, "state");
    IllegalArgumentException tooLarge = MemoryPresenceStore.checkData(state, "state");
    if (tooLarge != null) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    int p = RedisKeyLayout.presenceShardOf(room);
    String[] keys = {subsKey(p, room), stateKey(p, room)};
    return redis.call(
        "presence state",
        c ->
            STATE
                .<Long>run(c, ScriptOutputType.INTEGER, keys, sub, state)
                .thenApply(stored -> stored == 1L));
  }

  @Override
  public CompletionStage<PresenceChange> exit(
      String room, String sub, String connectionId, String instanceId) {
    String field = MemoryPresenceStore.field(instanceId, connectionId, sub);
    int p = RedisKeyLayout.presenceShardOf(room);
    String[] keys = {
      roomKey(p, room),
      subsKey(p, room),
      instanceKey(p, instanceId),
      infoKey(p, room),
      stateKey(p, room),
      occupiedKey(p),
      countsKey(p)
    };
    return redis.call(
        "presence leave",
        c ->
            LEAVE
                .<Long>run(c, ScriptOutputType.INTEGER, keys, field, sub, room)
                .thenApply(RedisPresenceStore::change));
  }

  @Override
  public CompletionStage<List<PresenceMember>> members(String room) {
    int p = RedisKeyLayout.presenceShardOf(room);
    String[] keys = {roomKey(p, room), liveKey(p), infoKey(p, room), stateKey(p, room)};
    return redis.call(
        "presence members",
        c ->
            MEMBERS
                .<List<Object>>run(c, ScriptOutputType.MULTI, keys)
                .thenApply(RedisPresenceStore::toMembers));
  }

  /** One pipelined script per shard; {@code true} only when every shard knew it alive. */
  @Override
  public CompletionStage<Boolean> heartbeat(String instanceId) {
    MemoryPresenceStore.requireId(instanceId, "instanceId");
    String ttl = Long.toString(instanceTtl.toMillis());
    return redis.call(
        "presence heartbeat",
        c -> {
          List<CompletableFuture<Long>> each = new ArrayList<>(RedisKeyLayout.PRESENCE_SHARDS);
          for (int p = 0; p < RedisKeyLayout.PRESENCE_SHARDS; p++) {
            String[] keys = {liveKey(p)};
            each.add(
                HEARTBEAT
                    .<Long>run(c, ScriptOutputType.INTEGER, keys, instanceId, ttl)
                    .toCompletableFuture());
          }
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(done -> each.stream().allMatch(alive -> alive.join() == 1L));
        });
  }

  /**
   * Per shard: the dead instances ({@code ZRANGEBYSCORE live -inf now}), then for each one a sample
   * of its rooms ({@code HRANDFIELD}) and one {@code sweep.lua} over them.
   */
  @Override
  public CompletionStage<List<PresenceLoss>> sweep(int maxRooms) {
    if (maxRooms < 1) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("maxRooms < 1"));
    }
    List<PresenceLoss> lost = new ArrayList<>();
    return redis.call(
        "presence sweep",
        c -> sweepShard(c, 0, maxRooms, lost).thenApply(budget -> List.copyOf(lost)));
  }

  /**
   * One {@code rooms.lua} per shard, pipelined, each asked for {@code limit + 1} rooms of its
   * lexicographic index ({@code ZRANGEBYLEX}); the answers are merged in name order and cut at
   * {@code limit}, so a page costs at most {@code PRESENCE_SHARDS × (limit + 1)} entries.
   */
  @Override
  public CompletionStage<RoomPage> rooms(String prefix, String after, int limit) {
    MemoryPresenceStore.checkPage(prefix, limit);
    String min = after == null || after.compareTo(prefix) < 0 ? "[" + prefix : "(" + after;
    // Room names are ASCII: every name with the prefix sorts before prefix + U+00FF (UTF-8 C3 BF).
    String max = prefix.isEmpty() ? "+" : "(" + prefix + "\u00ff";
    String count = Integer.toString(limit + 1);
    return redis.call(
        "presence rooms",
        c -> {
          List<CompletableFuture<List<Object>>> each =
              new ArrayList<>(RedisKeyLayout.PRESENCE_SHARDS);
          for (int p = 0; p < RedisKeyLayout.PRESENCE_SHARDS; p++) {
            String[] keys = {occupiedKey(p), countsKey(p)};
            each.add(
                ROOMS
                    .<List<Object>>run(c, ScriptOutputType.MULTI, keys, min, max, count)
                    .toCompletableFuture());
          }
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(done -> merge(each, limit));
        });
  }

  private static RoomPage merge(List<CompletableFuture<List<Object>>> shards, int limit) {
    List<OccupiedRoom> all = new ArrayList<>();
    for (CompletableFuture<List<Object>> shard : shards) {
      List<Object> reply = shard.join();
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        all.add(
            new OccupiedRoom((String) reply.get(i), Integer.parseInt((String) reply.get(i + 1))));
      }
    }
    all.sort(Comparator.comparing(OccupiedRoom::room));
    boolean more = all.size() > limit;
    return new RoomPage(more ? all.subList(0, limit) : all, more);
  }

  @Override
  public Duration instanceTtl() {
    return instanceTtl;
  }

  /** Nothing to release: the connections belong to whoever passed them in. */
  @Override
  public void close() {}

  private CompletionStage<Integer> sweepShard(
      RedisClusterAsyncCommands<String, String> c, int p, int budget, List<PresenceLoss> lost) {
    if (p >= RedisKeyLayout.PRESENCE_SHARDS || budget <= 0) {
      return CompletableFuture.completedFuture(budget);
    }
    Range<Long> dead =
        Range.from(
            Range.Boundary.unbounded(), Range.Boundary.excluding(System.currentTimeMillis()));
    return c.zrangebyscore(liveKey(p), dead, Limit.create(0, budget))
        .thenCompose(instances -> sweepInstances(c, p, instances, 0, budget, lost))
        .thenCompose(left -> sweepShard(c, p + 1, left, lost));
  }

  private CompletionStage<Integer> sweepInstances(
      RedisClusterAsyncCommands<String, String> c,
      int p,
      List<String> instances,
      int index,
      int budget,
      List<PresenceLoss> lost) {
    if (index >= instances.size() || budget <= 0) {
      return CompletableFuture.completedFuture(budget);
    }
    String instance = instances.get(index);
    return c.hrandfield(instanceKey(p, instance), Math.min(budget, ROOMS_PER_SCRIPT))
        .thenCompose(rooms -> sweepRooms(c, p, instance, rooms, lost).thenApply(done -> rooms))
        .thenCompose(
            rooms ->
                sweepInstances(
                    c, p, instances, index + 1, budget - Math.max(1, rooms.size()), lost));
  }

  private CompletionStage<Void> sweepRooms(
      RedisClusterAsyncCommands<String, String> c,
      int p,
      String instance,
      List<String> rooms,
      List<PresenceLoss> lost) {
    String[] keys = new String[4 + 4 * rooms.size()];
    String[] args = new String[1 + rooms.size()];
    keys[0] = liveKey(p);
    keys[1] = instanceKey(p, instance);
    args[0] = instance;
    for (int j = 0; j < rooms.size(); j++) {
      keys[2 + 4 * j] = roomKey(p, rooms.get(j));
      keys[3 + 4 * j] = subsKey(p, rooms.get(j));
      keys[4 + 4 * j] = infoKey(p, rooms.get(j));
      keys[5 + 4 * j] = stateKey(p, rooms.get(j));
      args[1 + j] = rooms.get(j);
    }
    keys[keys.length - 2] = occupiedKey(p);
    keys[keys.length - 1] = countsKey(p);
    return SWEEP
        .<List<Object>>run(c, ScriptOutputType.MULTI, keys, args)
        .thenAccept(
            reply -> {
              for (int i = 0; i + 2 < reply.size(); i += 3) {
                lost.add(
                    new PresenceLoss(
                        (String) reply.get(i),
                        (String) reply.get(i + 1),
                        "1".equals(reply.get(i + 2))));
              }
            });
  }

  /** join.lua / leave.lua: 0 nothing, 1 the user's presence, 2 also the room's occupancy. */
  private static PresenceChange change(Long reply) {
    return PresenceChange.of(reply >= 1L, reply == 2L);
  }

  private static List<PresenceMember> toMembers(List<Object> reply) {
    List<PresenceMember> members = new ArrayList<>(reply.size() / 4);
    for (int i = 0; i + 3 < reply.size(); i += 4) {
      members.add(
          new PresenceMember(
              (String) reply.get(i),
              Instant.ofEpochMilli(Long.parseLong((String) reply.get(i + 1))),
              emptyToNull(reply.get(i + 2)),
              emptyToNull(reply.get(i + 3))));
    }
    members.sort(Comparator.comparing(PresenceMember::joinedAt).thenComparing(PresenceMember::sub));
    return List.copyOf(members);
  }

  private static String emptyToNull(Object value) {
    return value == null || "".equals(value) ? null : (String) value;
  }

  private static String infoKey(int p, String room) {
    return prefix(p) + "info:" + room;
  }

  private static String stateKey(int p, String room) {
    return prefix(p) + "state:" + room;
  }

  private static String prefix(int p) {
    return "relay:{p" + p + "}:presence:";
  }

  private static String occupiedKey(int p) {
    return prefix(p) + "occupied";
  }

  private static String countsKey(int p) {
    return prefix(p) + "counts";
  }

  private static String liveKey(int p) {
    return prefix(p) + "live";
  }

  private static String roomKey(int p, String room) {
    return prefix(p) + "room:" + room;
  }

  private static String subsKey(int p, String room) {
    return prefix(p) + "subs:" + room;
  }

  private static String instanceKey(int p, String instanceId) {
    return prefix(p) + "inst:" + instanceId;
  }
}
