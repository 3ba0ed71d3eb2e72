package dev.relay.engine.redis;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Replay;
import dev.relay.engine.feed.LiveSink;
import dev.relay.engine.feed.LiveSource;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveSource} on Redis sharded Pub/Sub: each followed room is subscribed ({@code SSUBSCRIBE
 * relay:{R}:live}) on the node that serves its slot — the server, or on a cluster the master of
 * {@code SlotHash.getSlot(channel)} in the cluster client's topology — through one dedicated
 * Pub/Sub connection per node ({@link ShardSubscriber}). Lettuce's cluster Pub/Sub is not used: it
 * does not re-establish shard subscriptions after a failover (lettuce issue #3213).
 *
 * <p>Routing is reconciled on a timer thread of the source's own, at once after {@link #subscribe}
 * and every {@value #RECONCILE_MILLIS} ms: a room whose slot's master changed (failover,
 * resharding) is reported {@link LiveSink#interrupted} and moved to the new master's connection; a
 * room not active on its node is subscribed again after {@value #RETRY_MILLIS} ms; while any room
 * is not active (or its slot has no known master), the cluster topology is reloaded at most once
 * per {@value #RETRY_MILLIS} ms, so a promoted replica is found about a second after Redis promotes
 * it. A node connection without rooms is closed.
 *
 * <p>Reads ({@link #head}, {@link #read}) go through {@link RoomReads} on the shared command
 * connection. Thread-safe; no method blocks.
 */
final class RedisLiveSource implements LiveSource {

  static final long RECONCILE_MILLIS = 250;
  static final long RETRY_MILLIS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisLiveSource.class);

  private final RedisConnections redis;
  private final RoomReads reads;
  private final ScheduledExecutorService timer;
  private volatile LiveSink sink;

  /**
   * Guarded by {@code this}: the rooms to subscribe (to their channel's slot), and where each is.
   */
  private final Map<String, Integer> wanted = new LinkedHashMap<>();

  private final Map<String, ShardSubscriber> placed = new HashMap<>();
  private final Map<String, ShardSubscriber> nodes = new HashMap<>();
  private long lastRefresh;
  private boolean closed;

  RedisLiveSource(RedisConnections redis, RoomReads reads) {
    this.redis = redis;
    this.reads = reads;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "relay-live-source");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(LiveSink sink) {
    this.sink = sink;
    timer.scheduleWithFixedDelay(
        this::reconcileSafely, RECONCILE_MILLIS, RECONCILE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void subscribe(String room) {
    int slot = SlotHash.getSlot(RedisKeyLayout.roomChannel(room));
    synchronized (this) {
      if (closed) {
        return;
      }
      wanted.put(room, slot);
    }
    timer.execute(this::reconcileSafely);
  }

  @Override
  public void unsubscribe(String room) {
    ShardSubscriber on;
    synchronized (this) {
      wanted.remove(room);
      on = placed.remove(room);
    }
    if (on != null) {
      on.release(room);
    }
  }

  @Override
  public CompletionStage<EventId> head(String room) {
    return reads.head(room);
  }

  @Override
  public CompletionStage<Replay> read(String room, EventId after, int max, boolean markLoss) {
    return reads.read(room, after, max, true, markLoss);
  }

  @Override
  public void close() {
    List<ShardSubscriber> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(nodes.values());
      nodes.clear();
      placed.clear();
      wanted.clear();
    }
    timer.shutdownNow();
    all.forEach(ShardSubscriber::close);
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.warn("live source reconcile failed; next round retries", e);
    }
  }

  /** Runs on the timer thread only. */
  private void reconcile() {
    List<String> moved = new ArrayList<>();
    List<ShardSubscriber> idle = new ArrayList<>();
    List<ShardSubscriber> touched = new ArrayList<>();
    boolean needTopology = false;
    RedisTopology topology = redis.topology();
    long now = System.currentTimeMillis();
    Map<RedisURI, String> keys = new IdentityHashMap<>(); // a few nodes, many rooms
    synchronized (this) {
      if (closed || sink == null) {
        return;
      }
      for (Map.Entry<String, Integer> w : wanted.entrySet()) {
        String room = w.getKey();
        RedisURI owner = topology.nodeForSlot(w.getValue());
        ShardSubscriber current = placed.get(room);
        if (owner == null) {
          needTopology = true;
          continue;
        }
        String key = keys.computeIfAbsent(owner, ShardSubscriber::key);
        if (current != null && nodes.get(key) != current) {
          placed.remove(room);
          if (current.release(room)) {
            moved.add(room);
          }
          current = null;
        }
        if (current == null) {
          current = nodes.computeIfAbsent(key, k -> new ShardSubscriber(owner, redis, sink));
          current.assign(room);
          placed.put(room, current);
        }
        if (current.isStalled(room, now, RETRY_MILLIS)) {
          needTopology = true;
        }
      }
      for (Iterator<ShardSubscriber> it = nodes.values().iterator(); it.hasNext(); ) {
        ShardSubscriber node = it.next();
        if (node.isEmpty()) {
          it.remove();
          idle.add(node);
        } else {
          touched.add(node);
        }
      }
    }
    if (!moved.isEmpty()) {
      LOG.info("{} room(s) moved to another node; resubscribing", moved.size());
      sink.interrupted(moved);
    }
    idle.forEach(ShardSubscriber::close);
    touched.forEach(node -> node.ensure(now, RETRY_MILLIS));
    if (needTopology && topology.isCluster() && now - lastRefresh >= RETRY_MILLIS) {
      lastRefresh = now;
      topology.refresh();
    }
  }
}
