package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.EventDraft;
import dev.relay.engine.Recorder;
import dev.relay.engine.StoredEvent;
import dev.relay.testkit.RedisClusterProcess;
import dev.relay.testkit.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A master of a Redis Cluster with replicas is killed under a following feed; its replica is
 * promoted. The feed must move the room's sharded subscription to the new master and go on: every
 * event appended after the promotion is delivered in order, and anything it cannot vouch for is a
 * lost position, never a silent gap. Rooms on the other masters are not disturbed. On a cluster of
 * the test's own (three masters, one replica each).
 */
class RedisClusterFailoverIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private RedisClusterProcess cluster;
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
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFollowedRoomOnAKilledMasterResumesOnThePromotedReplica() throws Exception {
    cluster = RedisClusterProcess.start(1);
    log = new RedisEventLog(cluster.seedUrl(), RedisEngineSettings.defaults().withCluster(true));
    feed = new Recorder();
    feed.feed = log.openFeed(feed);
    String seed = cluster.seedUrl();
    String moving = roomOnAMasterOtherThan(seed, null);
    RedisProcess doomed = cluster.masterOf(RedisKeyLayout.roomStream(moving));
    String steady = roomOnAMasterOtherThan(seed, doomed);
    done(feed.feed.follow(moving));
    done(feed.feed.follow(steady));
    List<EventId> before = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      before.add(done(log.append(event(moving, i))).id());
      done(log.append(event(steady, i)));
    }
    feed.awaitEvents(moving, 5);
    cluster.awaitReplicated();

    doomed.kill();
    List<Appended> after = new ArrayList<>();
    for (int i = 5; i < 15; i++) {
      after.add(appendEventually(event(moving, i)));
      done(log.append(event(steady, i)));
    }

    EventId last = after.get(after.size() - 1).id();
    await()
        .atMost(WAIT)
        .until(() -> feed.eventsOf(moving).stream().anyMatch(e -> e.id().equals(last)));
    assertThat(feed.violations).isEmpty();
    assertThat(feed.eventsOf(moving).subList(0, 5))
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(before);
    List<EventId> delivered = feed.eventsOf(moving).stream().map(StoredEvent::id).toList();
    List<EventId> sameEpochAsLast =
        after.stream().map(Appended::id).filter(id -> id.epoch().equals(last.epoch())).toList();
    assertThat(delivered).containsSubsequence(sameEpochAsLast);
    boolean epochKept =
        sameEpochAsLast.size() == after.size() && last.epoch().equals(before.get(0).epoch());
    if (!epochKept) {
      assertThat(feed.lost).extracting(Recorder.Lost::room).contains(moving);
    }
    assertThat(feed.awaitEvents(steady, 15)).hasSize(15);
    assertThat(feed.lost).extracting(Recorder.Lost::room).doesNotContain(steady);
    await().atMost(WAIT).until(feed.feed::healthy);
  }

  /** A room whose slot is served by a master other than the seed and {@code except}. */
  private String roomOnAMasterOtherThan(String seed, RedisProcess except) {
    for (int i = 0; ; i++) {
      String room = "room:" + i;
      RedisProcess owner = cluster.masterOf(RedisKeyLayout.roomStream(room));
      if (!owner.url().equals(seed) && owner != except) {
        return room;
      }
    }
  }

  private Appended appendEventually(EventDraft draft) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> log.append(draft).toCompletableFuture().get(3, TimeUnit.SECONDS), a -> true);
  }

  private static EventDraft event(String room, int n) {
    return new EventDraft(room, "task.updated", "{\"n\":" + n + "}", null, null, null, null);
  }

  private static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("engine call did not succeed", e);
    }
  }
}
