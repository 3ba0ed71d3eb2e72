package dev.relay.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.Feed;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.redis.RedisConnections;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade from the partitioned release, on one real Redis (or Cluster): old processes
 * ({@link OldRelease}, running that release's own append script) and new ones (a per-room {@link
 * EventLog} with {@link LegacyMirror} and {@link PartitionBridge}) side by side. Subclasses say
 * where the new release's rooms live and which Redis both use; each test starts from an empty one.
 *
 * <p>"Exactly once" is checked without sleeping: after the events under test, a sentinel event is
 * appended behind them and awaited; a feed delivers a room's events in order, so anything delivered
 * twice or copied back would have arrived before the sentinel.
 */
abstract class PartitionUpgradeContract {

  static final int PARTITIONS = 16;
  static final PartitionLayout LAYOUT = new PartitionLayout(PARTITIONS);
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final List<AutoCloseable> opened = new ArrayList<>();

  /** The Redis both releases share, e.g. {@code redis://127.0.0.1:1234} or a cluster seed. */
  protected abstract String url();

  protected abstract boolean cluster();

  /** Synchronous commands on that Redis, for the old release and for looking at keys. */
  protected abstract RedisClusterCommands<String, String> admin();

  /** A new release's per-room log (unwrapped), on {@link #url()} or in memory. */
  protected abstract EventLog openRooms();

  protected final <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private RedisConnections connections() {
    return track(new RedisConnections(url(), cluster(), Duration.ofSeconds(2)));
  }

  private PartitionBridge startBridge(EventLog rooms) {
    PartitionBridge bridge =
        track(
            new PartitionBridge(
                rooms, connections(), url(), cluster(), LAYOUT, Duration.ofSeconds(2)));
    done(bridge.start());
    return bridge;
  }

  private LegacyMirror mirror(EventLog rooms, RedisConnections redis) {
    return new LegacyMirror(rooms, redis, LAYOUT, OldRelease.IDEMPOTENCY_WINDOW);
  }

  private OldRelease oldRelease() {
    return new OldRelease(admin(), LAYOUT);
  }

  private static FeedRecorder follow(EventLog rooms, String... roomNames) {
    FeedRecorder recorder = new FeedRecorder();
    Feed feed = rooms.openFeed(recorder);
    for (String room : roomNames) {
      done(feed.follow(room));
    }
    return recorder;
  }

  @Test
  void anEventAppendedTheOldWayReachesANewFeedOnceWithTwoBridges() {
    EventLog rooms = track(openRooms());
    PartitionBridge first = startBridge(rooms);
    PartitionBridge second = startBridge(rooms);
    FeedRecorder feed = follow(rooms, "room-1");
    OldRelease old = oldRelease();
    Instant issued = Instant.parse("2024-05-01T10:00:00Z");

    old.append("room-1", "chat.message", "{\"n\":1.10}", "n-1", issued, "user-1", TRACEPARENT);
    IntStream.range(0, 20)
        .forEach(i -> old.append("room-1", "chat.seq", "{\"i\":" + i + "}", null));
    old.append("room-1", "test.sentinel", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "test.sentinel"));

    List<StoredEvent> events = feed.of("room-1");
    assertThat(events).hasSize(22);
    StoredEvent copied = events.get(0);
    Envelope envelope = EnvelopeCodec.decode(copied.envelopeJson());
    assertThat(copied.type()).isEqualTo("chat.message");
    assertThat(copied.traceparent()).isEqualTo(TRACEPARENT);
    assertThat(copied.envelopeJson()).contains("\"payload\":{\"n\":1.10}");
    assertThat(envelope.issuedAt()).isEqualTo(issued);
    assertThat(envelope.actor()).isEqualTo("user-1");
    assertThat(envelope.nonce()).isEqualTo("n-1");
    assertThat(envelope.id()).isEqualTo(copied.id().toString());
    assertThat(events.subList(1, 21))
        .extracting(e -> EnvelopeCodec.decode(e.envelopeJson()).payload().get("i").intValue())
        .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    assertThat(feed.lost).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                first.copied() + first.alreadyCopied() == 22
                    && second.copied() + second.alreadyCopied() == 22);
    assertThat(first.copied() + second.copied()).isEqualTo(22);
  }

  @Test
  void anAppendThroughTheMirrorIsAnOldFormatEntryAndIsNotCopiedBack() {
    EventLog rooms = track(openRooms());
    PartitionBridge bridge = startBridge(rooms);
    LegacyMirror mirror = mirror(rooms, connections());
    FeedRecorder feed = follow(rooms, "room-1");
    OldRelease old = oldRelease();

    Appended appended =
        done(
            mirror.append(
                new EventDraft(
                    "room-1",
                    "chat.message",
                    "{\"text\":\"hi\"}",
                    "n-1",
                    Instant.parse("2024-05-01T10:00:00Z"),
                    "user-1",
                    TRACEPARENT)));

    List<OldRelease.OldEvent> partition = old.partitionOf("room-1");
    assertThat(partition).hasSize(1);
    OldRelease.OldEvent entry = partition.get(0);
    assertThat(entry.body().keySet())
        .containsExactlyInAnyOrder("ep", "r", "t", "x", "tp", "e", "src");
    assertThat(entry.body())
        .containsEntry("r", "room-1")
        .containsEntry("t", "chat.message")
        .containsEntry("x", "0")
        .containsEntry("tp", TRACEPARENT)
        .containsEntry("src", "rooms");
    int p = LAYOUT.partitionOf("room-1");
    assertThat(entry.id().epoch()).isEqualTo(admin().get(LAYOUT.epochKey(p)));
    assertThat(admin().get(LAYOUT.nonceKey("room-1", "n-1"))).isEqualTo(entry.id().toString());
    // What an old gateway sends its clients: the room's envelope, with the partition's id.
    assertThat(entry.envelope())
        .isEqualTo(
            appended.envelopeJson().replace(appended.id().toString(), entry.id().toString()));

    // An old publish-api retrying the same request finds the nonce: nothing new anywhere.
    assertThat(old.append("room-1", "chat.message", "{\"text\":\"hi\"}", "n-1").duplicate())
        .isTrue();
    // Without a nonce only the marker keeps the bridge from storing the event a second time.
    Appended withoutNonce =
        done(mirror.append(new EventDraft("room-1", "chat.other", "{}", null, null, null, null)));
    old.append("room-1", "test.sentinel", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "test.sentinel"));

    List<StoredEvent> delivered = feed.of("room-1");
    assertThat(delivered)
        .extracting(StoredEvent::type)
        .containsExactly("chat.message", "chat.other", "test.sentinel");
    assertThat(delivered.subList(0, 2))
        .extracting(StoredEvent::id)
        .containsExactly(appended.id(), withoutNonce.id());
    assertThat(bridge.mirroredSkipped()).isEqualTo(2);
    assertThat(old.partitionOf("room-1")).hasSize(3);
  }

  @Test
  void aFailedMirrorWriteFailsTheAppendAndTheRetryWritesIt() {
    EventLog rooms = track(openRooms());
    RedisConnections broken = new RedisConnections(url(), cluster(), Duration.ofSeconds(2));
    broken.close();
    EventDraft draft = new EventDraft("room-1", "chat.message", "{}", "n-1", null, null, null);

    assertThatThrownBy(() -> done(mirror(rooms, broken).append(draft)))
        .isInstanceOf(EngineUnavailableException.class);
    assertThat(oldRelease().partitionOf("room-1")).isEmpty();

    Appended retried = done(mirror(rooms, connections()).append(draft));
    Appended again = done(mirror(rooms, connections()).append(draft));

    assertThat(retried.duplicate()).isTrue();
    assertThat(again.duplicate()).isTrue();
    List<OldRelease.OldEvent> partition = oldRelease().partitionOf("room-1");
    assertThat(partition).hasSize(1);
    assertThat(EnvelopeCodec.decode(partition.get(0).envelope()).nonce()).isEqualTo("n-1");
  }

  @Test
  void anOldIdUsedAsSinceOnTheNewLogIsNotRecovered() {
    EventLog rooms = track(openRooms());
    startBridge(rooms);
    FeedRecorder feed = follow(rooms, "room-1");
    OldRelease old = oldRelease();

    EventId oldId = old.append("room-1", "chat.message", "{}", null).id();
    old.append("room-1", "chat.message", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.of("room-1").size() == 2);

    Replay replay = done(rooms.replay("room-1", oldId, 100));
    assertThat(replay.recovered()).isFalse();
    assertThat(replay.outcome()).isEqualTo(Replay.Outcome.EPOCH_CHANGED);
    assertThat(replay.events()).isEmpty();
    // The same event's id in the new layout does resume.
    Replay fromNewId = done(rooms.replay("room-1", feed.of("room-1").get(0).id(), 100));
    assertThat(fromNewId.recovered()).isTrue();
    assertThat(fromNewId.events()).hasSize(1);
  }

  @Test
  void aBridgeStartedLaterCatchesUpFromTheSharedCheckpoint() {
    EventLog rooms = track(openRooms());
    OldRelease old = oldRelease();
    EventId beforeUpgrade = old.append("room-1", "chat.before-upgrade", "{}", null).id();
    PartitionBridge first = startBridge(rooms);
    String bridged = LAYOUT.bridgedKey(LAYOUT.partitionOf("room-1"));
    assertThat(admin().get(bridged)).isEqualTo(beforeUpgrade.streamId());
    FeedRecorder feed = follow(rooms, "room-1");
    old.append("room-1", "chat.before", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "chat.before"));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.copied() == 1);
    first.close();

    old.append("room-1", "chat.while-no-bridge-ran", "{}", null);
    PartitionBridge second = startBridge(rooms);
    old.append("room-1", "test.sentinel", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "test.sentinel"));

    assertThat(feed.of("room-1"))
        .extracting(StoredEvent::type)
        .containsExactly("chat.before", "chat.while-no-bridge-ran", "test.sentinel");
    assertThat(second.copied()).isEqualTo(2);
    assertThat(admin().get(bridged)).isEqualTo(old.partitionOf("room-1").get(3).id().streamId());
  }

  @Test
  void entriesTrimmedBeforeAnyBridgeCopiedThemAreReportedAtStart() {
    EventLog rooms = track(openRooms());
    OldRelease old = oldRelease();
    EventId copiedLongAgo = old.append("room-1", "chat.copied", "{}", null).id();
    int partition = LAYOUT.partitionOf("room-1");
    admin().set(LAYOUT.bridgedKey(partition), copiedLongAgo.streamId());
    old.append("room-1", "chat.trimmed", "{}", null);
    EventId kept = old.append("room-1", "chat.kept", "{}", null).id();
    admin().xtrim(LAYOUT.streamKey(partition), XTrimArgs.Builder.minId(kept.streamId()));
    FeedRecorder feed = follow(rooms, "room-1");

    PartitionBridge bridge = startBridge(rooms);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "chat.kept"));

    assertThat(bridge.trimmedBeforeCopy()).isEqualTo(1);
    assertThat(feed.of("room-1")).extracting(StoredEvent::type).containsExactly("chat.kept");
  }

  @Test
  void aCheckpointedEntryStillInTheStreamIsNoLoss() {
    EventLog rooms = track(openRooms());
    OldRelease old = oldRelease();
    old.append("room-1", "chat.before-upgrade", "{}", null);
    startBridge(rooms);
    FeedRecorder feed = follow(rooms, "room-1");
    old.append("room-1", "chat.after", "{}", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> feed.saw("room-1", "chat.after"));

    PartitionBridge restarted = startBridge(rooms);

    assertThat(restarted.trimmedBeforeCopy()).isZero();
  }

  @Test
  void entriesOfOtherRoomsAndPartitionsAreCopiedToTheirOwnRooms() {
    EventLog rooms = track(openRooms());
    startBridge(rooms);
    List<String> names = IntStream.range(0, 40).mapToObj(i -> "room-" + i).toList();
    FeedRecorder feed = follow(rooms, names.toArray(String[]::new));
    OldRelease old = oldRelease();

    for (String room : names) {
      old.append(room, "chat.message", "{\"room\":\"" + room + "\"}", null);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> names.stream().allMatch(r -> feed.saw(r, "chat.message")));

    for (String room : names) {
      assertThat(feed.of(room))
          .singleElement()
          .extracting(e -> EnvelopeCodec.decode(e.envelopeJson()).payload().get("room").asText())
          .isEqualTo(room);
    }
    assertThat(names.stream().map(LAYOUT::partitionOf).distinct().count()).isGreaterThan(8);
  }

  static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
