package dev.relay.engine.feed;

import dev.relay.contracts.EventId;
import dev.relay.engine.Replay;
import java.util.concurrent.CompletionStage;

/**
 * What a store offers a {@link RoomFeed}: per-room live messages that may be lost (Redis Pub/Sub),
 * and per-room reads that prove completeness, from which the feed repairs what was lost. The feed
 * owns every guarantee of {@link dev.relay.engine.Feed}; a source only moves messages.
 *
 * <p>Every live message carries its event's id and the stream id of the entry before it in the same
 * room ({@code 0-0} for the first entry of an epoch), so the feed can tell a gap from a duplicate.
 *
 * <p>Implementations: {@code memory.MemoryEventLog}'s source (never loses a message) and {@code
 * redis.RedisLiveSource} (sharded Pub/Sub, one channel per room, on the master that owns the room's
 * slot). Thread-safe; methods never block; callbacks to the {@link LiveSink} may come from any
 * thread.
 */
public interface LiveSource extends AutoCloseable {

  /** Where messages and subscription changes go; set once, before any other call. */
  void start(LiveSink sink);

  /**
   * Subscribes to the room's live messages. {@link LiveSink#subscribed} follows once the
   * subscription is active, and again whenever it is active again after a connection loss or a move
   * to another node ({@link LiveSink#interrupted} came first). If it cannot be made (the store is
   * down), the source keeps trying, and reports {@link LiveSink#subscribeFailed} once per attempt
   * that failed.
   */
  void subscribe(String room);

  /** Ends the room's subscription; messages already in flight may still arrive. */
  void unsubscribe(String room);

  /**
   * The room's current head: its epoch, created if the room has none yet (so a room without events
   * still has a start position {@code 0-0.<epoch>}), and the stream id of its newest entry ({@code
   * 0-0} when it has none in that epoch). Fails with {@link
   * dev.relay.engine.EngineUnavailableException} when the store is down.
   */
  CompletionStage<EventId> head(String room);

  /**
   * The entries of {@code room} after {@code after}, volatile ones included, in order, at most
   * {@code max}, with the proof rules of {@link dev.relay.engine.EventLog#replay}. With {@code
   * markLoss} the caller states that it read {@code after} from this store: if that entry is gone
   * although retention cannot have removed it (a failover to a lagging replica, a restart that lost
   * the newest writes), the store moves the room to a new epoch, so that every other reader and
   * every recovery learn of the loss, and answers {@link Replay.Outcome#EPOCH_CHANGED}.
   */
  CompletionStage<Replay> read(String room, EventId after, int max, boolean markLoss);

  @Override
  void close();
}
