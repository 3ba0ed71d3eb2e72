package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.Recorder;
import dev.relay.engine.StoredEvent;
import dev.relay.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis contract again, with Lettuce's I/O and the feed on one shared event loop, the way the
 * services run it ({@link SharedIoLoops}); plus what sharing promises: commands and feed callbacks
 * run on the loop, the loop outlives the connections, and loops of another transport are not
 * shared.
 */
class RedisSharedLoopEventLogIT extends RedisEventLogContract {

  private static final int DATABASE = 11;
  private static RedisClient admin;
  private static StatefulRedisConnection<String, String> adminConnection;
  private static EventLoopGroup loop;
  private final List<RedisConnections> connections = new ArrayList<>();

  @BeforeAll
  static void connect() {
    admin = RedisClient.create(TestRedis.url(DATABASE));
    adminConnection = admin.connect();
    // Lettuce uses NIO here (the engine's tests have no native transport), so NIO loops fit.
    loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void disconnect() {
    adminConnection.close();
    admin.shutdown();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @BeforeEach
  void emptyDatabase() {
    adminConnection.sync().flushdb();
  }

  @AfterEach
  void closeConnections() {
    connections.forEach(RedisConnections::close);
  }

  private RedisConnections shared(EventLoopGroup loops) {
    RedisConnections redis =
        new RedisConnections(
            TestRedis.url(DATABASE), false, RedisEngineSettings.defaults().commandTimeout(), loops);
    connections.add(redis);
    return redis;
  }

  @Override
  protected EventLog open(Duration retention, int maxRoomEvents) {
    return new RedisEventLog(
        shared(loop),
        RedisEngineSettings.defaults().withRetention(retention).withMaxRoomEvents(maxRoomEvents));
  }

  @Override
  protected RedisClusterCommands<String, String> redis() {
    return adminConnection.sync();
  }

  @Test
  void commandsAndFeedCallbacksRunOnTheSharedLoopAndClosingLeavesItRunning() throws Exception {
    RedisConnections redis = shared(loop);
    assertThat(redis.sharesLoops()).isTrue();
    Thread loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);

    // BLPOP on an empty list answers after its timeout: surely after the callback is attached.
    Thread answeredOn =
        done(
            redis.call(
                "blpop",
                c -> c.blpop(0.1, "relay-it:empty").thenApply(none -> Thread.currentThread())));
    assertThat(answeredOn).isSameAs(loopThread);

    EventLog log = new RedisEventLog(redis, RedisEngineSettings.defaults());
    String room = room("shared:1");
    AtomicReference<Thread> deliveredOn = new AtomicReference<>();
    Recorder recorder = new Recorder();
    Feed feed =
        log.openFeed(
            new FeedListener() {
              @Override
              public void event(StoredEvent event) {
                deliveredOn.set(Thread.currentThread());
                recorder.event(event);
              }

              @Override
              public void positionLost(String room, EventId resumeAfter, String reason) {
                recorder.positionLost(room, resumeAfter, reason);
              }
            });
    done(feed.follow(room));
    done(log.append(numbered(room, 1)));
    recorder.awaitEvents(room, 1);
    assertThat(deliveredOn.get()).isSameAs(loopThread);

    feed.close();
    log.close();
    redis.close();
    assertThat(loop.isShuttingDown()).isFalse();
    CompletableFuture<Boolean> stillRuns = new CompletableFuture<>();
    loop.execute(() -> stillRuns.complete(true));
    assertThat(stillRuns.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void loopsOfAnotherTransportAreNotSharedAndLettuceKeepsItsOwnThreads() {
    EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    try {
      RedisConnections redis = shared(local);
      assertThat(redis.sharesLoops()).isFalse();
      assertThat(redis.feedExecutor()).isEmpty();
      String answeredOn =
          done(
              redis.call(
                  "blpop",
                  c ->
                      c.blpop(0.1, "relay-it:empty")
                          .thenApply(none -> Thread.currentThread().getName())));
      assertThat(answeredOn).startsWith("lettuce-");
      await().atMost(WAIT).until(() -> !local.isShuttingDown());
    } finally {
      local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
