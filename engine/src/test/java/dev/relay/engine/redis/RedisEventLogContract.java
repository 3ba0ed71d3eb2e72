package dev.relay.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.EventLog;
import dev.relay.engine.EventLogContract;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.TruncatedPartition;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventLogContract} on Redis, plus what only Redis can do: lose a stream's newest
 * entries with its epoch unchanged, as after a Redis Cluster failover to a lagging replica or a
 * restart from an AOF that missed its last second. The tests simulate the loss with {@code XDEL} of
 * the newest entries (and retention with an exact {@code XTRIM MINID}) and check what {@link
 * EventLog#verifyPositions} makes of it. Subclasses say which Redis (one server, a cluster).
 */
abstract class RedisEventLogContract extends EventLogContract {

  private static final Duration RETENTION = Duration.ofMinutes(5);
  private static final Duration READ_WAIT = Duration.ofSeconds(1);
  private static final RedisKeyLayout LAYOUT =
      new RedisKeyLayout(RedisKeyLayout.DEFAULT_PARTITIONS);
  private static final String ROOM = "session:tail";
  private static final int P = LAYOUT.partitionOf(ROOM);

  /** Direct access to the Redis under test. */
  protected abstract RedisClusterCommands<String, String> redis();

  private EventLog log() {
    return log(LAYOUT.partitions(), RETENTION);
  }

  @Test
  void lostNewestEntriesMoveThePartitionToANewEpochOnceAndRecoveryBeforeThemIsRefused() {
    EventLog gateway = log();
    EventId kept = append(gateway, 1);
    EventId lost = append(gateway, 2);
    EventId lastRead = append(gateway, 3);
    ReadBatch read = done(gateway.read(StreamPositions.start(LAYOUT.partitions()), 100, READ_WAIT));
    assertThat(read.next().get(P)).isEqualTo(lastRead.streamId());

    redis().xdel(LAYOUT.streamKey(P), lost.streamId(), lastRead.streamId());
    List<TruncatedPartition> found = done(gateway.verifyPositions(Map.of(P, lastRead)));

    assertThat(found).hasSize(1);
    TruncatedPartition truncated = found.get(0);
    assertThat(truncated.partition()).isEqualTo(P);
    assertThat(truncated.epoch()).isNotNull().isNotEqualTo(kept.epoch());
    assertThat(truncated.resumeAfter()).isEqualTo(kept.streamId());
    assertThat(redis().get(LAYOUT.epochKey(P))).isEqualTo(truncated.epoch());
    assertThat(done(gateway.replay(ROOM, kept, 100)).outcome()).isEqualTo(Outcome.EPOCH_CHANGED);

    EventLog otherGateway = log();
    assertThat(done(otherGateway.verifyPositions(Map.of(P, lost))))
        .as("another gateway that had read a lost entry: same loss, no second new epoch")
        .containsExactly(truncated);
    assertThat(redis().get(LAYOUT.epochKey(P))).isEqualTo(truncated.epoch());
    assertThat(done(otherGateway.verifyPositions(Map.of(P, kept))))
        .as("a gateway that had not read the lost entries learns of them from the next epoch")
        .isEmpty();

    EventId next = append(gateway, 4);
    assertThat(next.epoch()).isEqualTo(truncated.epoch());
    ReadBatch resumed =
        done(gateway.read(read.next().with(P, truncated.resumeAfter()), 100, READ_WAIT));
    assertThat(resumed.events()).extracting(StoredEvent::id).containsExactly(next);
  }

  @Test
  void aLostOldestEntryIsReportedWhenNoAppendCanHaveTrimmedIt() {
    EventLog gateway = log();
    EventId lastRead = append(gateway, 1);
    redis().xdel(LAYOUT.streamKey(P), lastRead.streamId());
    EventId appendedSince = append(gateway, 2);

    List<TruncatedPartition> found = done(gateway.verifyPositions(Map.of(P, lastRead)));

    assertThat(found).hasSize(1);
    assertThat(found.get(0).epoch()).isNotEqualTo(lastRead.epoch());
    assertThat(found.get(0).resumeAfter()).isEqualTo(appendedSince.streamId());
    assertThat(done(gateway.replay(ROOM, appendedSince, 100)).outcome())
        .isEqualTo(Outcome.EPOCH_CHANGED);
  }

  @Test
  void aPositionThatRetentionTrimmedIsNotReported() {
    EventLog gateway = log();
    String stream = LAYOUT.streamKey(P);
    long now = System.currentTimeMillis();
    redis().set(LAYOUT.epochKey(P), "oldlife");
    String old =
        redis()
            .xadd(
                stream,
                new XAddArgs().id((now - 2 * RETENTION.toMillis()) + "-0"),
                Map.of("ep", "oldlife", "r", ROOM, "t", "task.updated", "x", "0", "e", "{}"));
    EventId recent = append(gateway, 1);
    assertThat(recent.epoch()).isEqualTo("oldlife");
    redis().xtrim(stream, new XTrimArgs().minId(Long.toString(now - RETENTION.toMillis())));

    assertThat(done(gateway.verifyPositions(Map.of(P, EventId.ofStreamId(old, "oldlife")))))
        .isEmpty();
    assertThat(redis().get(LAYOUT.epochKey(P))).isEqualTo("oldlife");
  }

  @Test
  void aStreamLostEntirelyIsReportedAndItsNextAppendStartsTheNewEpoch() {
    EventLog gateway = log();
    EventId lastRead = append(gateway, 1);
    redis().del(LAYOUT.streamKey(P));

    assertThat(done(gateway.verifyPositions(Map.of(P, lastRead))))
        .containsExactly(new TruncatedPartition(P, null, EventId.STREAM_START));

    EventId next = append(gateway, 2);
    assertThat(next.epoch()).isNotEqualTo(lastRead.epoch());
    assertThat(done(gateway.replay(ROOM, lastRead, 100)).outcome())
        .isEqualTo(Outcome.EPOCH_CHANGED);
  }

  private static EventId append(EventLog log, int n) {
    return done(log.append(numbered(ROOM, n))).id();
  }
}
