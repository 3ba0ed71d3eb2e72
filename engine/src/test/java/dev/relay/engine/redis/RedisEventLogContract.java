package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Appended;
import dev.relay.engine.EventLog;
import dev.relay.engine.EventLogContract;
import dev.relay.engine.Recorder;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventLogContract} on Redis, plus what only Redis can do: lose a room's newest entries
 * with its epoch unchanged, as a Redis Cluster failover to a lagging replica or a restart from an
 * AOF that missed its last second leaves it. The tests put the room in exactly the state such a
 * replica holds — the newest entries gone ({@code XDEL}) and the meta hash as it was before them —
 * and check that readers learn of the loss. Subclasses say which Redis (one server, a cluster).
 */
abstract class RedisEventLogContract extends EventLogContract {

  private static final Duration RETENTION = Duration.ofMinutes(5);
  private static final RedisScript APPEND =
      RedisScript.load(
          RedisEventLog.class,
          "append.lua",
          dev.relay.engine.ratelimit.RedisRateLimiter.BUCKET_LUA);

  /** Direct access to the Redis under test. */
  protected abstract RedisClusterCommands<String, String> redis();

  @Test
  void aFeedThatDeliveredLostEntriesReportsTheLossAndTheRoomMovesToANewEpoch() {
    EventLog log = log();
    String room = room("session:lagging");
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    Appended kept = done(log.append(numbered(room, 1)));
    Appended lost1 = done(log.append(numbered(room, 2)));
    Appended lost2 = done(log.append(numbered(room, 3)));
    feed.awaitEvents(room, 3);

    loseNewest(room, kept, 2, lost1, lost2);
    Appended next = done(log.append(numbered(room, 4)));

    await().atMost(Duration.ofSeconds(10)).until(() -> !feed.lost.isEmpty());
    Recorder.Lost loss = feed.lost.get(0);
    assertThat(loss.room()).isEqualTo(room);
    assertThat(loss.resumeAfter().epoch()).isNotEqualTo(kept.id().epoch());
    String newEpoch = redis().hget(RedisKeyLayout.roomMeta(room), "ep");
    assertThat(loss.resumeAfter().epoch()).isEqualTo(newEpoch);
    assertThat(done(log.replay(room, kept.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(done(log.replay(room, lost2.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);

    Appended after = done(log.append(numbered(room, 5)));
    assertThat(after.id().epoch()).isEqualTo(newEpoch);
    assertThat(feed.awaitEvents(room, 4).get(3).id()).isIn(after.id(), next.id());
    assertThat(feed.eventsOf(room)).extracting(StoredEvent::id).contains(after.id());
    assertThat(feed.violations).isEmpty();
  }

  @Test
  void aReplayOfALostIdIsRefusedEvenOnceNewerEntriesExist() {
    EventLog log = log();
    String room = room("session:gap");
    Appended kept = done(log.append(numbered(room, 1)));
    Appended lost = done(log.append(numbered(room, 2)));
    loseNewest(room, kept, 1, lost);
    Appended next = done(log.append(numbered(room, 3)));

    assertThat(done(log.replay(room, lost.id(), 100)).outcome()).isEqualTo(Outcome.UNKNOWN_ID);
    assertThat(done(log.replay(room, kept.id(), 100)).events())
        .extracting(StoredEvent::id)
        .containsExactly(next.id());
    assertThat(next.id().epoch()).isEqualTo(kept.id().epoch());
  }

  @Test
  void aRoomsKeysExpireTogetherAfterRetentionAndAFollowRenewsThem() {
    EventLog log = log(RETENTION, 10_000);
    String room = room("session:ttl");
    done(log.append(withNonce(room, "n")));
    long ttl = RETENTION.plus(RedisEngineSettings.IDLE_GRACE).toMillis();

    for (String key :
        new String[] {RedisKeyLayout.roomStream(room), RedisKeyLayout.roomMeta(room)}) {
      assertThat(redis().pttl(key)).isBetween(ttl - 5_000, ttl);
    }
    redis().pexpire(RedisKeyLayout.roomMeta(room), 60_000);
    redis().pexpire(RedisKeyLayout.roomStream(room), 60_000);
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    assertThat(redis().pttl(RedisKeyLayout.roomMeta(room))).isGreaterThan(ttl - 5_000);
    assertThat(redis().pttl(RedisKeyLayout.roomStream(room))).isGreaterThan(ttl - 5_000);
    assertThat(redis().ttl(RedisKeyLayout.roomNonce(room, "n"))).isGreaterThan(23 * 3600L);
  }

  @Test
  void aRoomsKeysGetTheirTtlBackAtMostOnceAMinuteAlwaysTogetherAndAlwaysWhenNew() {
    EventLog log = log(RETENTION, 10_000);
    String room = room("session:renew");
    String stream = RedisKeyLayout.roomStream(room);
    String meta = RedisKeyLayout.roomMeta(room);
    String open = RedisKeyLayout.roomOpenMessages(room);
    long ttl = RETENTION.plus(RedisEngineSettings.IDLE_GRACE).toMillis();
    done(log.append(numbered(room, 1)));
    redis().pexpire(stream, 60_000);
    redis().pexpire(meta, 60_000);

    done(log.append(numbered(room, 2)));
    assertThat(List.of(redis().pttl(stream), redis().pttl(meta)))
        .as("renewed less than a minute ago: not again")
        .allSatisfy(left -> assertThat(left).isBetween(1L, 60_000L));
    done(log.append(delta(room, "m1", 1, "a")));
    assertThat(redis().pttl(open))
        .as("a message opens: its hash may be new")
        .isGreaterThan(ttl - 5_000);
    assertThat(redis().pttl(RedisKeyLayout.roomMessageText(room, "m1"))).isGreaterThan(ttl - 5_000);

    redis().hset(meta, "xp", Long.toString(System.currentTimeMillis() - 61_000));
    redis().pexpire(open, 60_000);
    done(log.append(delta(room, "m1", 2, "b")));
    assertThat(List.of(redis().pttl(stream), redis().pttl(meta), redis().pttl(open)))
        .as("a minute later: renewed together")
        .allSatisfy(left -> assertThat(left).isGreaterThan(ttl - 5_000));

    redis().pexpire(stream, 60_000);
    redis().pexpire(meta, 60_000);
    redis().hset(meta, "xp", Long.toString(System.currentTimeMillis() + 3_600_000));
    done(log.append(numbered(room, 3)));
    assertThat(List.of(redis().pttl(stream), redis().pttl(meta)))
        .as("a mark in the future (another publisher's clock ahead): renewed")
        .allSatisfy(left -> assertThat(left).isGreaterThan(ttl - 5_000));

    redis().del(stream);
    redis().pexpire(meta, 60_000);
    done(log.append(numbered(room, 4)));
    assertThat(List.of(redis().pttl(stream), redis().pttl(meta)))
        .as("a new stream (XADD makes it without a TTL), its mark fresh: renewed")
        .allSatisfy(left -> assertThat(left).isGreaterThan(ttl - 5_000));
  }

  @Test
  void aRoomWhoseStreamIsGoneStartsANewEpochAndItsFollowersLearnIt() {
    EventLog log = log();
    String room = room("session:flushed");
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    Appended first = done(log.append(numbered(room, 1)));
    feed.awaitEvents(room, 1);

    redis().del(RedisKeyLayout.roomStream(room));
    Appended next = done(log.append(numbered(room, 2)));

    assertThat(next.id().epoch()).isNotEqualTo(first.id().epoch());
    await().atMost(Duration.ofSeconds(10)).until(() -> !feed.lost.isEmpty());
    assertThat(done(log.replay(room, first.id(), 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    Appended after = done(log.append(numbered(room, 3)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> feed.eventsOf(room).stream().anyMatch(e -> e.id().equals(after.id())));
  }

  @Test
  void aLiveMessageThatNeverArrivedIsRepairedFromTheStream() {
    EventLog log = log();
    String room = room("session:unheard");
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    Appended first = done(log.append(numbered(room, 1)));
    feed.awaitEvents(room, 1);

    String unheard = appendWithoutLiveMessage(room, first.id().epoch());
    Appended third = done(log.append(numbered(room, 3)));

    assertThat(feed.awaitEvents(room, 3))
        .extracting(e -> e.id().streamId())
        .containsExactly(first.id().streamId(), unheard, third.id().streamId());
    assertThat(feed.lost).isEmpty();
  }

  /**
   * Runs the real {@code append.lua}, its message published on another channel of the room's slot
   * than the one feeds listen to: stored, but lost on the way, as a Pub/Sub message can be.
   */
  private String appendWithoutLiveMessage(String room, String epoch) {
    String envelope = "\"room\":\"" + room + "\",\"type\":\"task.updated\",\"payload\":{}}";
    List<Object> reply =
        redis()
            .eval(
                APPEND.text(),
                ScriptOutputType.MULTI,
                new String[] {
                  RedisKeyLayout.roomStream(room),
                  RedisKeyLayout.roomMeta(room),
                  RedisKeyLayout.roomRateLimit(room),
                  RedisKeyLayout.roomChannel(room) + ":nowhere"
                },
                "unused",
                "0",
                "60",
                "10000",
                Long.toString(RETENTION.toMillis()),
                "task.updated",
                "0",
                "",
                envelope,
                "");
    assertThat(reply.get(1)).isEqualTo(epoch);
    return (String) reply.get(0);
  }

  /**
   * Leaves {@code room} as a replica that never received {@code lost} holds it: those entries gone,
   * the meta pointing at {@code kept} with {@code keptCount} entries in the epoch.
   */
  private void loseNewest(String room, Appended kept, int keptCount, Appended... lost) {
    for (Appended a : lost) {
      redis().xdel(RedisKeyLayout.roomStream(room), a.id().streamId());
    }
    redis()
        .hset(
            RedisKeyLayout.roomMeta(room),
            Map.of("last", kept.id().streamId(), "n", Integer.toString(keptCount)));
  }
}
