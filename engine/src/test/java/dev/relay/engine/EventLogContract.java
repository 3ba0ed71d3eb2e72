package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.engine.Replay.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventLog} must have: appends, idempotency and replay's proof rules
 * here, the {@link Feed}'s per-room delivery in {@link FeedContract}. Subclasses only say how to
 * open a fresh log ({@link #open}).
 */
public abstract class EventLogContract extends StreamedMessageContract {

  @Test
  void anAppendRoundTripsEveryEnvelopeFieldToFeedAndReplay() {
    EventLog log = log();
    String room = room("session:abc-123");
    Recorder feed = feed(log);
    EventId start = done(feed.feed.follow(room));
    Instant issued = Instant.parse("2024-05-01T10:00:00Z");
    Instant before = Instant.now().minusMillis(1);
    Appended appended =
        done(
            log.append(
                new EventDraft(
                    room,
                    "vote.cast",
                    "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-1\"}",
                    "nonce-1",
                    issued,
                    "acct-1",
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

    StoredEvent live = feed.awaitEvents(room, 1).get(0);
    Replay replay = done(log.replay(room, start, 100));

    assertThat(appended.duplicate()).isFalse();
    assertThat(appended.room()).isEqualTo(room);
    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events()).containsExactly(live);
    assertThat(live.id()).isEqualTo(appended.id());
    assertThat(live.id().epoch()).isEqualTo(start.epoch());
    assertThat(live.envelopeJson()).isEqualTo(appended.envelopeJson());
    assertThat(live.room()).isEqualTo(room);
    assertThat(live.type()).isEqualTo("vote.cast");
    assertThat(live.volatileEvent()).isFalse();
    assertThat(live.traceparent())
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    Envelope envelope = EnvelopeCodec.decode(live.envelopeJson());
    assertThat(envelope.id()).isEqualTo(appended.id().toString());
    assertThat(envelope.room()).isEqualTo(room);
    assertThat(envelope.payload().toString())
        .isEqualTo("{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-1\"}");
    assertThat(envelope.issuedAt()).isEqualTo(issued);
    assertThat(envelope.publishedAt()).isBetween(before, Instant.now());
    assertThat(envelope.publishedAt().getNano() % 1_000_000).isZero();
    assertThat(envelope.nonce()).isEqualTo("nonce-1");
    assertThat(envelope.actor()).isEqualTo("acct-1");
  }

  @Test
  void idsIncreasePerRoomInAppendOrderWithinOneEpoch() {
    EventLog log = log();
    String a = room("task:a");
    String b = room("task:b");
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(done(log.append(numbered(a, i))).id());
      done(log.append(numbered(b, i)));
    }

    Replay replay = done(log.replay(a, ids.get(0), 100));

    assertThat(ids).isSorted();
    assertThat(ids).extracting(EventId::epoch).containsOnly(ids.get(0).epoch());
    assertThat(replay.events())
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(ids.subList(1, 20));
    assertThat(replay.events().get(18).envelopeJson()).contains("\"n\":19");
  }

  @Test
  void theSameNonceInTheSameRoomStoresOneEvent() {
    EventLog log = log();
    String room = room("session:s1");
    Appended before = done(log.append(numbered(room, 0)));
    Appended first = done(log.append(withNonce(room, "n-1")));
    Appended second = done(log.append(withNonce(room, "n-1")));

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(second.envelopeJson()).isNull();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(done(log.replay(room, before.id(), 100)).events()).hasSize(1);
  }

  @Test
  void theSameNonceInAnotherRoomIsAnotherEvent() {
    EventLog log = log();
    Appended a = done(log.append(withNonce(room("session:s1"), "n-1")));
    Appended b = done(log.append(withNonce(room("session:s2"), "n-1")));

    assertThat(b.duplicate()).isFalse();
    assertThat(a.duplicate()).isFalse();
  }

  @Test
  void concurrentDuplicatesStoreOneEntry() {
    EventLog log = log();
    String room = room("session:race");
    Appended before = done(log.append(numbered(room, 0)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Appended>> all =
          IntStream.range(0, 32)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(() -> log.append(withNonce(room, "same")), pool)
                          .thenCompose(stage -> stage))
              .toList();
      List<Appended> results = all.stream().map(EventLogContract::done).toList();

      assertThat(results).extracting(Appended::id).containsOnly(results.get(0).id());
      assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
      assertThat(done(log.replay(room, before.id(), 100)).events()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void appendAllStoresInRequestOrderAndAnswersInRequestOrder() {
    EventLog log = log();
    String a = room("task:a");
    String b = room("task:b");
    Appended before = done(log.append(numbered(a, -1)));
    List<EventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      drafts.add(numbered(i % 2 == 0 ? a : b, i));
    }
    drafts.add(withNonce(a, "k"));
    drafts.add(withNonce(a, "k"));

    List<Appended> results = done(log.appendAll(drafts));

    assertThat(results)
        .extracting(Appended::room)
        .containsExactlyElementsOf(drafts.stream().map(EventDraft::room).toList());
    assertThat(results.get(11).duplicate()).isTrue();
    assertThat(results.get(11).id()).isEqualTo(results.get(10).id());
    List<EventId> roomA =
        results.subList(0, 11).stream().filter(r -> r.room().equals(a)).map(Appended::id).toList();
    assertThat(roomA).isSorted();
    assertThat(done(log.replay(a, before.id(), 100)).events())
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(roomA);
  }

  @Test
  void replayReturnsTheRoomsLaterNonVolatileEventsInOrder() {
    EventLog log = log();
    String a = room("task:a");
    Appended since = done(log.append(numbered(a, 0)));
    Appended a1 = done(log.append(numbered(a, 1)));
    done(log.append(numbered(room("task:b"), 1)));
    Appended typing = done(log.append(draft(a, "typing.started", "{\"conversationId\":\"c\"}")));
    Appended a2 = done(log.append(numbered(a, 2)));

    Replay replay = done(log.replay(a, since.id(), 100));
    Replay fromVolatile = done(log.replay(a, typing.id(), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events()).extracting(StoredEvent::id).containsExactly(a1.id(), a2.id());
    assertThat(replay.events().get(1).envelopeJson()).isEqualTo(a2.envelopeJson());
    assertThat(fromVolatile.events()).extracting(StoredEvent::id).containsExactly(a2.id());
  }

  @Test
  void replayFromARoomsStartPositionReturnsEveryEventOfTheEpoch() {
    EventLog log = log();
    String room = room("task:fresh");
    Recorder feed = feed(log);
    EventId start = done(feed.feed.follow(room));
    Appended first = done(log.append(numbered(room, 1)));
    Appended second = done(log.append(numbered(room, 2)));

    Replay replay = done(log.replay(room, start, 100));

    assertThat(start.streamId()).isEqualTo(EventId.STREAM_START);
    assertThat(first.id().epoch()).isEqualTo(start.epoch());
    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events())
        .extracting(StoredEvent::id)
        .containsExactly(first.id(), second.id());
    assertThat(done(log.replay(room, start, 1)).outcome()).isEqualTo(Outcome.TOO_MANY);
  }

  @Test
  void replayFromTheNewestIdIsCompleteAndEmpty() {
    EventLog log = log();
    String room = room("task:a");
    Appended last = done(log.append(numbered(room, 0)));

    Replay replay = done(log.replay(room, last.id(), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events()).isEmpty();
  }

  @Test
  void replayOfAnIdAheadOfTheRoomIsUnknown() {
    EventLog log = log();
    String room = room("task:a");
    Appended last = done(log.append(numbered(room, 0)));
    EventId ahead = new EventId(last.id().millis() + 60_000, 0, last.id().epoch());

    assertThat(done(log.replay(room, ahead, 100)).outcome()).isEqualTo(Outcome.UNKNOWN_ID);
  }

  @Test
  void replayOfAnIdFromAnotherEpochOrOfAnUnknownRoomIsRefused() {
    EventLog log = log();
    String room = room("task:a");
    Appended a = done(log.append(numbered(room, 0)));
    done(log.append(numbered(room, 1)));
    String other = a.id().epoch().equals("zzzzzz") ? "yyyyyy" : "zzzzzz";

    Replay replay = done(log.replay(room, new EventId(a.id().millis(), 0, other), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(replay.events()).isEmpty();
    assertThat(done(log.replay(room("task:never"), a.id(), 100)).outcome())
        .isEqualTo(Outcome.EPOCH_CHANGED);
  }

  @Test
  void replayOfMoreEventsThanTheBoundIsRefused() {
    EventLog log = log();
    String room = room("task:a");
    Appended since = done(log.append(numbered(room, 0)));
    for (int i = 0; i < 5; i++) {
      done(log.append(numbered(room, i)));
    }
    done(log.append(draft(room, "typing.started", "{}")));

    assertThat(done(log.replay(room, since.id(), 4)).outcome()).isEqualTo(Outcome.TOO_MANY);
    assertThat(done(log.replay(room, since.id(), 5)).events()).hasSize(5);
  }

  @Test
  void replayPastWhatRetentionTrimmedIsRefused() {
    Duration retention = Duration.ofMillis(300);
    EventLog log = log(retention, 10_000);
    String room = room("task:a");
    Recorder feed = feed(log);
    EventId start = done(feed.feed.follow(room));
    Appended since = done(log.append(numbered(room, 0)));
    List<Appended> filled =
        done(log.appendAll(IntStream.range(1, 300).mapToObj(i -> numbered(room, i)).toList()));
    long oldEnough = filled.get(filled.size() - 1).id().millis() + retention.toMillis() + 50;
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > oldEnough);

    Appended recent = done(log.append(numbered(room, 300)));

    assertThat(done(log.replay(room, since.id(), 1000)).outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(done(log.replay(room, start, 1000)).outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(done(log.replay(room, recent.id(), 1000)).outcome()).isEqualTo(Outcome.COMPLETE);
  }

  @Test
  void aRoomsLengthIsCappedAndReplayBeforeTheCapIsRefused() {
    EventLog log = log(LONG_RETENTION, 100);
    String room = room("task:hot");
    Appended since = done(log.append(numbered(room, 0)));
    List<Appended> all =
        done(log.appendAll(IntStream.range(1, 400).mapToObj(i -> numbered(room, i)).toList()));

    assertThat(done(log.replay(room, since.id(), 1000)).outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(done(log.replay(room, all.get(389).id(), 1000)).events()).hasSize(9);
  }

  @Test
  void historyPagesTheNewestNonVolatileEventsNewestFirst() {
    EventLog log = log();
    String room = room("task:a");
    List<Appended> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(done(log.append(numbered(room, i))));
      done(log.append(draft(room, "typing.started", "{}")));
    }

    History newest = done(log.history(room, 3, null));
    History older = done(log.history(room, 3, newest.events().get(2).id()));

    assertThat(newest.events())
        .extracting(StoredEvent::id)
        .containsExactly(all.get(4).id(), all.get(3).id(), all.get(2).id());
    assertThat(newest.more()).isTrue();
    assertThat(newest.events().get(0).envelopeJson()).isEqualTo(all.get(4).envelopeJson());
    assertThat(older.events())
        .extracting(StoredEvent::id)
        .containsExactly(all.get(1).id(), all.get(0).id());
    assertThat(older.more()).isFalse();
    assertThat(done(log.history(room, 100, null)).events()).hasSize(5);
    assertThat(done(log.history(room, 5, null)).more()).isFalse();
  }

  @Test
  void historyOfAnUnknownRoomOrOfAnotherEpochIsEmptyAndCreatesNothing() {
    EventLog log = log();
    String room = room("task:a");
    Appended a = done(log.append(numbered(room, 0)));
    String other = a.id().epoch().equals("zzzzzz") ? "yyyyyy" : "zzzzzz";
    EventId foreign = new EventId(a.id().millis() + 1, 0, other);

    assertThat(done(log.history(room, 10, foreign))).isEqualTo(History.empty());
    assertThat(done(log.history(room("task:never"), 10, null))).isEqualTo(History.empty());
    assertThat(done(log.history(room, 10, a.id()))).isEqualTo(History.empty());
    assertThat(done(log.history(room, 10, null)).events()).hasSize(1);
  }

  @Test
  void historyLeavesOutEventsPastRetentionAndRefusesAnOutOfRangeLimit() {
    Duration retention = Duration.ofMillis(300);
    EventLog log = log(retention, 10_000);
    String room = room("task:a");
    Appended old = done(log.append(numbered(room, 0)));
    await()
        .atMost(WAIT)
        .until(() -> System.currentTimeMillis() > old.id().millis() + retention.toMillis() + 50);

    assertThat(done(log.history(room, 10, null)).events()).isEmpty();
    Appended recent = done(log.append(numbered(room, 1)));
    assertThat(done(log.history(room, 10, null)).events())
        .extracting(StoredEvent::id)
        .containsExactly(recent.id());
    for (int limit : new int[] {0, -1, EventLog.HISTORY_MAX + 1}) {
      assertThat(log.history(room, limit, null).toCompletableFuture()).isCompletedExceptionally();
    }
  }

  @Test
  void reportsItsShape() {
    EventLog log = log(Duration.ofMinutes(2), 10_000);
    assertThat(log.retention()).isEqualTo(Duration.ofMinutes(2));
    assertThat(log.name()).isIn("memory", "redis");
    done(log.ping());
  }
}
