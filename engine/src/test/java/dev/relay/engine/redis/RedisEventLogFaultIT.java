package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.Recorder;
import dev.relay.engine.Replay;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis failing under a following feed, on a Redis process of each test's own: a dropped Pub/Sub
 * connection is repaired from the streams; a restart that lost data (no persistence, an older AOF)
 * surfaces as a lost position and a new epoch, never as a silent gap; a restart that lost nothing
 * loses nothing.
 */
class RedisEventLogFaultIT {

  private static final String ROOM = "session:fault";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private RedisProcess redis;
  private RedisEventLog log;
  private Recorder feed;

  @AfterEach
  void stop() {
    if (feed != null) {
      feed.feed.close();
    }
    if (log != null) {
      log.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void killedPubSubConnectionsAreRepairedFromTheStreamsSoEveryEventArrivesOnceInOrder()
      throws Exception {
    start(RedisProcess.start());
    List<String> rooms = List.of("session:a", "session:b", "session:c");
    for (String room : rooms) {
      done(feed.feed.follow(room));
    }
    List<List<EventId>> appended = new ArrayList<>();
    rooms.forEach(room -> appended.add(new ArrayList<>()));
    CompletableFuture<Void> appending =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 300; i++) {
                for (int r = 0; r < rooms.size(); r++) {
                  appended.get(r).add(done(log.append(event(rooms.get(r), i))).id());
                }
              }
            });
    for (int kill = 0; kill < 3; kill++) {
      int before = feed.events.size();
      await().atMost(WAIT).until(() -> feed.events.size() > before + 50 || appending.isDone());
      admin(c -> c.sync().clientKill(KillArgs.Builder.typePubsub()));
    }
    appending.get(60, TimeUnit.SECONDS);

    for (int r = 0; r < rooms.size(); r++) {
      assertThat(feed.awaitEvents(rooms.get(r), 300))
          .extracting(StoredEvent::id)
          .containsExactlyElementsOf(appended.get(r));
    }
    assertThat(feed.lost).isEmpty();
    assertThat(log.redisStats().connectionsLost()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRestartWithoutPersistenceIsALostPositionAndOldIdsAreRefused() {
    start(RedisProcess.start());
    done(feed.feed.follow(ROOM));
    Appended first = done(log.append(event(ROOM, 1)));
    done(log.append(event(ROOM, 2)));
    feed.awaitEvents(ROOM, 2);

    redis.kill();
    CompletableFuture<Appended> during = log.append(event(ROOM, 3)).toCompletableFuture();
    assertThatThrownBy(() -> during.get(3, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(EngineUnavailableException.class);
    CompletableFuture<Void> ping = log.ping().toCompletableFuture();
    assertThatThrownBy(() -> ping.get(3, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineUnavailableException.class);
    redis.restart();

    await().atMost(WAIT).until(() -> !feed.lost.isEmpty());
    assertThat(feed.lost.get(0).room()).isEqualTo(ROOM);
    assertThat(feed.lost.get(0).resumeAfter().epoch()).isNotEqualTo(first.id().epoch());
    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    Appended after = awaitAppend(ROOM, 4);
    assertThat(after.id().epoch()).isEqualTo(feed.lost.get(0).resumeAfter().epoch());
    assertThat(feed.awaitEvents(ROOM, 3).get(2).id()).isEqualTo(after.id());
  }

  @Test
  void aRestartWithAofAlwaysLosesNothingAndReportsNoLoss() {
    start(RedisProcess.startPersistent());
    done(feed.feed.follow(ROOM));
    Appended first = done(log.append(event(ROOM, 1)));
    Appended second = done(log.append(event(ROOM, 2)));
    Appended third = done(log.append(event(ROOM, 3)));
    feed.awaitEvents(ROOM, 3);

    redis.kill();
    redis.restart();
    Appended fourth = awaitAppend(ROOM, 4);

    assertThat(fourth.id().epoch()).isEqualTo(first.id().epoch());
    assertThat(feed.awaitEvents(ROOM, 4))
        .extracting(StoredEvent::id)
        .containsExactly(first.id(), second.id(), third.id(), fourth.id());
    Replay replay = done(log.replay(ROOM, first.id(), 100));
    assertThat(replay.events())
        .extracting(StoredEvent::id)
        .containsExactly(second.id(), third.id(), fourth.id());
    assertThat(feed.lost).isEmpty();
  }

  @Test
  void aRestartFromAnOlderAofLosesTheNewestEntriesAndTheRoomMovesToANewEpoch() throws Exception {
    start(RedisProcess.startPersistent());
    done(feed.feed.follow(ROOM));
    Appended first = done(log.append(event(ROOM, 1)));
    done(log.append(event(ROOM, 2)));
    feed.awaitEvents(ROOM, 2);
    String dirName = admin(c -> c.sync().configGet("dir").get("dir"));
    Path dir = Path.of(dirName);
    Path copy = Files.createTempDirectory("relay-aof-copy");
    copyTree(dir.resolve("appendonlydir"), copy);
    Appended lost = done(log.append(event(ROOM, 3)));
    done(log.append(event(ROOM, 4)));
    feed.awaitEvents(ROOM, 4);

    redis.kill();
    try (Stream<Path> files = Files.list(dir.resolve("appendonlydir"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    copyTree(copy, dir.resolve("appendonlydir"));
    redis.restart();

    await().atMost(WAIT).until(() -> !feed.lost.isEmpty());
    Recorder.Lost loss = feed.lost.get(0);
    assertThat(loss.room()).isEqualTo(ROOM);
    assertThat(loss.resumeAfter().epoch()).isNotEqualTo(first.id().epoch());
    assertThat(done(log.replay(ROOM, lost.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    Appended next = awaitAppend(ROOM, 5);
    assertThat(next.id().epoch()).isEqualTo(loss.resumeAfter().epoch());
    assertThat(feed.awaitEvents(ROOM, 5).get(4).id()).isEqualTo(next.id());
  }

  @Test
  void aFlushStartsANewEpochSoOldIdsAreRefused() {
    start(RedisProcess.start());
    Appended first = done(log.append(event(ROOM, 1)));
    Appended second = done(log.append(event(ROOM, 2)));
    assertThat(done(log.replay(ROOM, first.id(), 100)).events())
        .extracting(StoredEvent::id)
        .containsExactly(second.id());

    admin(c -> c.sync().flushall());

    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    Appended afterFlush = done(log.append(event(ROOM, 3)));
    assertThat(afterFlush.id().epoch()).isNotEqualTo(first.id().epoch());
    assertThat(done(log.replay(ROOM, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(done(log.replay(ROOM, afterFlush.id(), 100)).outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void theServerCheckAcceptsThisRedis() {
    start(RedisProcess.start());
    done(log.checkServer());
  }

  private void start(RedisProcess process) {
    redis = process;
    log = new RedisEventLog(redis.url(), RedisEngineSettings.defaults());
    feed = new Recorder();
    feed.feed = log.openFeed(feed);
  }

  private Appended awaitAppend(String room, int n) {
    return await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> log.append(event(room, n)).toCompletableFuture().get(3, TimeUnit.SECONDS),
            a -> true);
  }

  private <T> T admin(
      java.util.function.Function<StatefulRedisConnection<String, String>, T> body) {
    RedisClient client = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return body.apply(connection);
    } finally {
      client.shutdown();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static EventDraft event(String room, int n) {
    return new EventDraft(
        room, "issue.advanced", "{\"issueKey\":\"K-" + n + "\"}", null, null, null, null);
  }

  private static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("engine call did not succeed", e);
    }
  }
}
