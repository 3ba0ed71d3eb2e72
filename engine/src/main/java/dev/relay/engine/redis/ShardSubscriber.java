package dev.relay.engine.redis;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.feed.LiveSink;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sharded subscriptions of one {@link RedisLiveSource} on one Redis node: one dedicated Pub/Sub
 * connection, the rooms assigned to the node, and which of them are known to be subscribed
 * (active).
 *
 * <p>Reports to the {@link LiveSink}, always on the connection's I/O thread, so in the order Redis
 * sent them: {@code subscribed} at a room's {@code SSUBSCRIBE} confirmation (once per activation; a
 * second confirmation of an active room is ignored), its messages, and {@code interrupted} for
 * every active room when the connection drops or for one room when Redis ends its subscription
 * ({@code SUNSUBSCRIBE} push: its slot moved). After a reconnect it subscribes every assigned room
 * again itself, whether or not Lettuce re-issues the shard subscriptions (a second {@code
 * SSUBSCRIBE} is harmless). Thread-safe: state is guarded by {@code this}, and the sink is never
 * called while holding it.
 */
final class ShardSubscriber extends RedisPubSubAdapter<String, String>
    implements RedisConnectionStateListener {

  private static final Logger LOG = LoggerFactory.getLogger(ShardSubscriber.class);

  private final RedisURI node;
  private final RedisConnections redis;
  private final LiveSink sink;

  /** Guarded by {@code this}. */
  private final Set<String> assigned = new HashSet<>();

  private final Set<String> active = new HashSet<>();
  private final Map<String, Long> requestedAt = new HashMap<>();
  private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting;
  private StatefulRedisPubSubConnection<String, String> connection;
  private long connectFailedAt;
  private boolean closed;

  ShardSubscriber(RedisURI node, RedisConnections redis, LiveSink sink) {
    this.node = node;
    this.redis = redis;
    this.sink = sink;
  }

  /** {@code host:port}, the identity of the node. */
  static String key(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  synchronized void assign(String room) {
    assigned.add(room);
  }

  /**
   * Takes the room off this node, with {@code SUNSUBSCRIBE} when connected. Returns true when it
   * was active (its messages may stop short of what was published: the caller reports it).
   */
  boolean release(String room) {
    StatefulRedisPubSubConnection<String, String> c;
    boolean wasActive;
    synchronized (this) {
      assigned.remove(room);
      requestedAt.remove(room);
      wasActive = active.remove(room);
      c = connection;
    }
    if (c != null && c.isOpen()) {
      c.async().sunsubscribe(RedisKeyLayout.roomChannel(room));
    }
    return wasActive;
  }

  /**
   * True when {@code room} is not active and not about to be: its connection is down (or not made
   * yet), or its {@code SSUBSCRIBE} went unanswered or failed for {@code patienceMillis}.
   */
  synchronized boolean isStalled(String room, long now, long patienceMillis) {
    if (active.contains(room)) {
      return false;
    }
    if (connection == null || !connection.isOpen()) {
      return true;
    }
    Long asked = requestedAt.get(room);
    return asked == null || now - asked >= patienceMillis;
  }

  synchronized boolean isEmpty() {
    return assigned.isEmpty();
  }

  /**
   * Connects if needed, and sends {@code SSUBSCRIBE} for the assigned rooms that are neither active
   * nor asked for within {@code retryMillis}. Failures are reported to the sink as {@code
   * subscribeFailed}; the next call tries again.
   */
  void ensure(long now, long retryMillis) {
    StatefulRedisPubSubConnection<String, String> c;
    List<String> toSubscribe = new ArrayList<>();
    synchronized (this) {
      if (closed || assigned.isEmpty()) {
        return;
      }
      if (connection == null) {
        if (connecting == null && now - connectFailedAt >= retryMillis) {
          connect();
        }
        return;
      }
      c = connection;
      if (!c.isOpen()) {
        return; // Lettuce reconnects; onRedisConnected subscribes again
      }
      for (String room : assigned) {
        Long asked = requestedAt.get(room);
        if (!active.contains(room) && (asked == null || now - asked >= retryMillis)) {
          requestedAt.put(room, now);
          toSubscribe.add(room);
        }
      }
    }
    subscribe(c, toSubscribe);
  }

  /** Closes the connection without reporting anything; the rooms must have been released. */
  void close() {
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      redis.untrack(c);
      c.closeAsync();
    }
  }

  @Override
  public void ssubscribed(String channel, long count) {
    String room = RedisKeyLayout.roomOf(channel);
    boolean report;
    synchronized (this) {
      report = room != null && assigned.contains(room) && active.add(room);
      requestedAt.remove(room);
    }
    if (report) {
      sink.subscribed(room);
    }
  }

  @Override
  public void sunsubscribed(String channel, long count) {
    String room = RedisKeyLayout.roomOf(channel);
    boolean report;
    synchronized (this) {
      report = room != null && active.remove(room);
    }
    if (report) {
      LOG.debug("{}: subscription of room {} ended by the server", key(node), room);
      sink.interrupted(List.of(room));
    }
  }

  @Override
  public void smessage(String channel, String message) {
    String room = RedisKeyLayout.roomOf(channel);
    if (room == null) {
      return;
    }
    synchronized (this) {
      if (!assigned.contains(room)) {
        return;
      }
    }
    LiveMessage.parse(room, message)
        .ifPresentOrElse(
            m -> sink.message(m.event(), m.previousStreamId()),
            () -> LOG.warn("ignoring a malformed message on {}", channel));
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
    List<String> lost;
    synchronized (this) {
      if (closed) {
        return;
      }
      lost = List.copyOf(active);
      active.clear();
      requestedAt.clear();
    }
    if (!lost.isEmpty()) {
      LOG.info("{}: Pub/Sub connection lost, {} room(s) interrupted", key(node), lost.size());
      sink.interrupted(lost);
    }
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress remote) {
    StatefulRedisPubSubConnection<String, String> c;
    List<String> rooms;
    synchronized (this) {
      if (closed || connection == null) {
        return; // the first connect: ensure() subscribes
      }
      c = connection;
      rooms = new ArrayList<>(assigned);
      long now = System.currentTimeMillis();
      rooms.forEach(room -> requestedAt.put(room, now));
    }
    subscribe(c, rooms);
  }

  private void connect() {
    connecting = redis.pubSub(node);
    connecting.whenComplete(
        (c, failure) -> {
          List<String> failed = List.of();
          boolean keep;
          synchronized (this) {
            connecting = null;
            keep = failure == null && !closed;
            if (keep) {
              connection = c;
            } else if (failure != null) {
              connectFailedAt = System.currentTimeMillis();
              failed = List.copyOf(assigned);
            }
          }
          if (failure != null) {
            Throwable cause = RedisConnections.translate("SSUBSCRIBE " + key(node), failure);
            failed.forEach(room -> sink.subscribeFailed(room, cause));
            return;
          }
          if (!keep) {
            redis.untrack(c);
            c.closeAsync();
            return;
          }
          c.addListener((RedisPubSubAdapter<String, String>) this);
          c.addListener((RedisConnectionStateListener) this);
          ensure(System.currentTimeMillis(), 0);
        });
  }

  /**
   * One {@code SSUBSCRIBE} per room, pipelined: on a cluster node the channels of one command must
   * share a slot.
   */
  private void subscribe(StatefulRedisPubSubConnection<String, String> c, List<String> rooms) {
    for (String room : rooms) {
      c.async()
          .ssubscribe(RedisKeyLayout.roomChannel(room))
          .whenComplete(
              (done, failure) -> {
                if (failure != null) {
                  sink.subscribeFailed(
                      room, RedisConnections.translate("SSUBSCRIBE " + key(node), failure));
                }
              });
    }
  }
}
