package dev.relay.engine.upgrade;

import static dev.relay.engine.upgrade.PartitionUpgradeContract.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge through failures, each test on a Redis of its own with AOF persistence (it is killed
 * and restarted): the room log refusing appends for a while, and Redis itself going away under the
 * bridge's blocking read. Nothing the old release wrote is lost, nothing is stored twice, and each
 * room keeps its order.
 */
class PartitionBridgeFaultIT {

  private static final PartitionLayout LAYOUT = new PartitionLayout(16);

  private RedisProcess redis;
  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisConnections connections;
  private PartitionBridge bridge;

  @BeforeEach
  void startRedis() {
    redis = RedisProcess.startPersistent();
    admin = RedisClient.create(redis.url());
    adminConnection = admin.connect();
    connections = new RedisConnections(redis.url(), Duration.ofSeconds(2));
  }

  @AfterEach
  void stopEverything() {
    if (bridge != null) {
      bridge.close();
    }
    connections.close();
    adminConnection.close();
    admin.shutdown();
    redis.close();
  }

  private PartitionBridge startBridge(EventLog rooms) {
    bridge =
        new PartitionBridge(rooms, connections, redis.url(), false, LAYOUT, Duration.ofSeconds(2));
    done(bridge.start());
    return bridge;
  }

  @Test
  void appendsRefusedByTheRoomLogAreCopiedOnceTheyAreAcceptedAgain() {
    MemoryEventLog memory = new MemoryEventLog();
    RefusingLog rooms = new RefusingLog(memory, 3);
    FeedRecorder feed = new FeedRecorder();
    done(rooms.openFeed(feed).follow("room-1"));
    startBridge(rooms);
    OldRelease old = new OldRelease(adminConnection.sync(), LAYOUT);

    for (int i = 0; i < 5; i++) {
      old.append("room-1", "chat.seq", "{\"i\":" + i + "}", null);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.of("room-1").size() == 5);
    old.append("room-1", "test.sentinel", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "test.sentinel"));

    assertThat(rooms.refused.get()).isEqualTo(3);
    assertThat(bridge.failures()).isGreaterThanOrEqualTo(1);
    List<StoredEvent> delivered = feed.of("room-1");
    assertThat(delivered).hasSize(6);
    assertThat(delivered.subList(0, 5))
        .extracting(e -> EnvelopeCodec.decode(e.envelopeJson()).payload().get("i").intValue())
        .containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aRestartedRedisIsReadAgainFromTheBridgesPositions() {
    EventLog rooms = new MemoryEventLog();
    FeedRecorder feed = new FeedRecorder();
    done(rooms.openFeed(feed).follow("room-1"));
    startBridge(rooms);
    OldRelease old = new OldRelease(adminConnection.sync(), LAYOUT);
    old.append("room-1", "chat.before-restart", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "chat.before-restart"));

    redis.kill();
    redis.restart();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> "PONG".equals(adminConnection.sync().ping()));
    old.append("room-1", "chat.after-restart", "{}", null);
    old.append("room-1", "test.sentinel", "{}", null);
    await().atMost(Duration.ofSeconds(15)).until(() -> feed.saw("room-1", "test.sentinel"));

    assertThat(feed.of("room-1"))
        .extracting(StoredEvent::type)
        .containsExactly("chat.before-restart", "chat.after-restart", "test.sentinel");
    assertThat(bridge.failures()).isGreaterThanOrEqualTo(1);
  }

  /** A room log whose first {@code refusals} appends fail as if its Redis were down. */
  private static final class RefusingLog implements EventLog {
    private final EventLog delegate;
    private final int refusals;
    final AtomicInteger refused = new AtomicInteger();

    RefusingLog(EventLog delegate, int refusals) {
      this.delegate = delegate;
      this.refusals = refusals;
    }

    @Override
    public CompletionStage<Appended> append(EventDraft draft) {
      if (refused.get() < refusals) {
        refused.incrementAndGet();
        return CompletableFuture.failedFuture(new EngineUnavailableException("refused", null));
      }
      return delegate.append(draft);
    }

    @Override
    public CompletionStage<List<Appended>> appendAll(List<EventDraft> drafts) {
      return delegate.appendAll(drafts);
    }

    @Override
    public CompletionStage<dev.relay.engine.ratelimit.RateDecision> takeRoomToken(
        String room, dev.relay.engine.ratelimit.Limit limit) {
      return delegate.takeRoomToken(room, limit);
    }

    @Override
    public CompletionStage<Replay> replay(String room, EventId since, int maxEvents) {
      return delegate.replay(room, since, maxEvents);
    }

    @Override
    public CompletionStage<History> history(String room, int limit, EventId before) {
      return delegate.history(room, limit, before);
    }

    @Override
    public CompletionStage<dev.relay.engine.stream.OpenMessages> openMessages(String room) {
      return delegate.openMessages(room);
    }

    @Override
    public Feed openFeed(FeedListener listener) {
      return delegate.openFeed(listener);
    }

    @Override
    public CompletionStage<Void> ping() {
      return delegate.ping();
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Duration retention() {
      return delegate.retention();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
