package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Replay;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, on a Redis process of each test's own. */
class RedisEventLogFaultIT {

  private static final String ROOM = "session:fault";

  private RedisProcess redis;
  private RedisEventLog log;
  private Follower follower;

  @AfterEach
  void stop() {
    if (follower != null) {
      follower.stop();
    }
    if (log != null) {
      log.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void whileRedisIsDownCallsFailFastAndAfterARestartTheyAndAReaderCarryOn() {
    redis = RedisProcess.start();
    log = new RedisEventLog(redis.url(), RedisEngineSettings.defaults().withPartitions(4));
    done(log.append(event(1)));
    follower = new Follower(log, done(log.tail()));

    redis.kill();

    CompletableFuture<Appended> during = log.append(event(2)).toCompletableFuture();
    assertThatThrownBy(() -> during.get(3, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(EngineUnavailableException.class);
    CompletableFuture<Void> ping = log.ping().toCompletableFuture();
    assertThatThrownBy(() -> ping.get(3, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineUnavailableException.class);

    redis.restart();

    Appended after =
        await()
            .atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .until(
                () -> log.append(event(3)).toCompletableFuture().get(3, TimeUnit.SECONDS),
                a -> true);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> follower.events.stream().anyMatch(e -> e.id().equals(after.id())));
  }

  @Test
  void aFlushStartsANewEpochSoOldIdsAreRefused() {
    redis = RedisProcess.start();
    log = new RedisEventLog(redis.url(), RedisEngineSettings.defaults().withPartitions(4));
    Appended first = done(log.append(event(1)));
    Appended second = done(log.append(event(2)));
    assertThat(done(log.replay(ROOM, first.id(), 100)).events())
        .extracting(StoredEvent::id)
        .containsExactly(second.id());

    flushAll();

    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    Appended afterFlush = done(log.append(event(3)));
    assertThat(afterFlush.id().epoch()).isNotEqualTo(first.id().epoch());
    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(done(log.replay(ROOM, afterFlush.id(), 100)).outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void aRestartWithoutPersistenceLosesTheStreamAndOldIdsAreRefused() {
    redis = RedisProcess.start();
    log = new RedisEventLog(redis.url(), RedisEngineSettings.defaults().withPartitions(4));
    Appended first = done(log.append(event(1)));
    done(log.append(event(2)));

    redis.kill();
    redis.restart();
    awaitAppendWorks();

    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
  }

  @Test
  void aRestartWithPersistenceKeepsEventsAndEpochSoReplayIsComplete() {
    redis = RedisProcess.startPersistent();
    log = new RedisEventLog(redis.url(), RedisEngineSettings.defaults().withPartitions(4));
    Appended first = done(log.append(event(1)));
    Appended second = done(log.append(event(2)));
    Appended third = done(log.append(event(3)));

    redis.kill();
    redis.restart();
    Appended fourth = awaitAppendWorks();

    Replay replay = done(log.replay(ROOM, first.id(), 100));
    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events())
        .extracting(StoredEvent::id)
        .containsExactly(second.id(), third.id(), fourth.id());
    assertThat(fourth.id().epoch()).isEqualTo(first.id().epoch());
  }

  private Appended awaitAppendWorks() {
    return await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () -> log.append(event(4)).toCompletableFuture().get(3, TimeUnit.SECONDS), a -> true);
  }

  private void flushAll() {
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().flushall();
    } finally {
      client.shutdown();
    }
  }

  private static EventDraft event(int n) {
    return new EventDraft(
        ROOM, "issue.advanced", "{\"issueKey\":\"K-" + n + "\"}", null, null, null, null);
  }

  private static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("engine call did not succeed", e);
    }
  }

  /**
   * A gateway-like reader: reads in a loop from its last position and, after a failure, tries again
   * 100 ms later.
   */
  private static final class Follower {
    final List<StoredEvent> events = new CopyOnWriteArrayList<>();
    private final EventLog log;
    private volatile StreamPositions position;
    private volatile boolean stopped;

    Follower(EventLog log, StreamPositions start) {
      this.log = log;
      this.position = start;
      next();
    }

    void stop() {
      stopped = true;
    }

    private void next() {
      if (stopped) {
        return;
      }
      log.read(position, 100, Duration.ofMillis(500))
          .whenComplete(
              (batch, failure) -> {
                if (failure != null) {
                  CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(this::next);
                  return;
                }
                events.addAll(batch.events());
                position = batch.next();
                next();
              });
    }
  }
}
