package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Replay.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventLog} must have. Subclasses only say how to open a fresh, empty
 * log; each test opens its own.
 */
public abstract class EventLogContract {

  private static final Duration LONG_RETENTION = Duration.ofMinutes(5);
  private final List<EventLog> opened = new ArrayList<>();

  /** A new log over an empty store. */
  protected abstract EventLog open(int partitions, Duration retention);

  protected EventLog log(int partitions) {
    return log(partitions, LONG_RETENTION);
  }

  protected EventLog log(int partitions, Duration retention) {
    EventLog log = open(partitions, retention);
    opened.add(log);
    return log;
  }

  @AfterEach
  void closeLogs() {
    opened.forEach(EventLog::close);
  }

  @Test
  void appendThenReadRoundTripsEveryEnvelopeField() {
    EventLog log = log(4);
    Instant issued = Instant.parse("2024-05-01T10:00:00Z");
    Instant before = Instant.now().minusMillis(1);
    Appended appended =
        done(
            log.append(
                new EventDraft(
                    "session:abc-123",
                    "vote.cast",
                    "{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-1\"}",
                    "nonce-1",
                    issued,
                    "acct-1",
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")));

    List<StoredEvent> events = readAll(log);

    assertThat(appended.duplicate()).isFalse();
    assertThat(appended.room()).isEqualTo("session:abc-123");
    assertThat(events).hasSize(1);
    StoredEvent event = events.get(0);
    assertThat(event.id()).isEqualTo(appended.id());
    assertThat(appended.envelopeJson()).isEqualTo(event.envelopeJson());
    assertThat(event.partition()).isEqualTo(new RedisKeyLayout(4).partitionOf("session:abc-123"));
    assertThat(event.room()).isEqualTo("session:abc-123");
    assertThat(event.type()).isEqualTo("vote.cast");
    assertThat(event.volatileEvent()).isFalse();
    assertThat(event.traceparent())
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    Envelope envelope = EnvelopeCodec.decode(event.envelopeJson());
    assertThat(envelope.id()).isEqualTo(appended.id().toString());
    assertThat(envelope.room()).isEqualTo("session:abc-123");
    assertThat(envelope.type()).isEqualTo("vote.cast");
    assertThat(envelope.payload().toString())
        .isEqualTo("{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-1\"}");
    assertThat(envelope.issuedAt()).isEqualTo(issued);
    assertThat(envelope.publishedAt()).isBetween(before, Instant.now());
    assertThat(envelope.publishedAt().getNano() % 1_000_000).isZero();
    assertThat(envelope.nonce()).isEqualTo("nonce-1");
    assertThat(envelope.actor()).isEqualTo("acct-1");
  }

  @Test
  void optionalFieldsStayAbsentIssuedAtDefaultsToPublishedAtAndVolatileTypesAreFlagged() {
    EventLog log = log(1);
    done(log.append(draft("chat:1", "typing.started", "{\"conversationId\":\"1\"}")));

    StoredEvent event = readAll(log).get(0);

    assertThat(event.volatileEvent()).isTrue();
    assertThat(event.traceparent()).isNull();
    assertThat(event.envelopeJson()).doesNotContain("nonce", "actor");
    Envelope envelope = EnvelopeCodec.decode(event.envelopeJson());
    assertThat(event.envelopeJson()).contains("\"issuedAt\":\"" + envelope.publishedAt() + "\"");
  }

  @Test
  void eventsOfARoomAreReadInAppendOrder() {
    EventLog log = log(4);
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(done(log.append(numbered("task:a", i))).id());
      done(log.append(numbered("task:b", i)));
    }

    List<StoredEvent> roomA = readAll(log).stream().filter(e -> e.room().equals("task:a")).toList();

    assertThat(roomA).extracting(StoredEvent::id).containsExactlyElementsOf(ids);
    assertThat(ids).isSorted();
    assertThat(roomA.get(19).envelopeJson()).contains("\"n\":19");
  }

  @Test
  void aReadReturnsAtMostTheLimitPerPartitionAndWhereToGoOn() {
    EventLog log = log(1);
    for (int i = 0; i < 5; i++) {
      done(log.append(numbered("task:a", i)));
    }

    ReadBatch first = done(log.read(StreamPositions.start(1), 2, Duration.ofSeconds(1)));
    ReadBatch second = done(log.read(first.next(), 2, Duration.ofSeconds(1)));

    assertThat(first.events()).hasSize(2);
    assertThat(first.next().get(0)).isEqualTo(first.events().get(1).id().streamId());
    assertThat(first.epochs()).containsEntry(0, first.events().get(0).id().epoch());
    assertThat(second.events()).hasSize(2);
    assertThat(second.events().get(0).envelopeJson()).contains("\"n\":2");
  }

  @Test
  void theSameNonceInTheSameRoomStoresOneEvent() {
    EventLog log = log(4);
    Appended first = done(log.append(withNonce("session:s1", "n-1")));
    Appended second = done(log.append(withNonce("session:s1", "n-1")));

    assertThat(first.duplicate()).isFalse();
    assertThat(second.duplicate()).isTrue();
    assertThat(second.envelopeJson()).isNull();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(readAll(log)).hasSize(1);
  }

  @Test
  void theSameNonceInAnotherRoomIsAnotherEvent() {
    EventLog log = log(4);
    Appended a = done(log.append(withNonce("session:s1", "n-1")));
    Appended b = done(log.append(withNonce("session:s2", "n-1")));

    assertThat(b.duplicate()).isFalse();
    assertThat(b.id()).isNotEqualTo(a.id());
    assertThat(readAll(log)).hasSize(2);
  }

  @Test
  void concurrentDuplicatesStoreOneEntry() {
    EventLog log = log(4);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Appended>> all =
          IntStream.range(0, 32)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                              () -> log.append(withNonce("session:race", "same")), pool)
                          .thenCompose(stage -> stage))
              .toList();
      List<Appended> results = all.stream().map(EventLogContract::done).toList();

      assertThat(results).extracting(Appended::id).containsOnly(results.get(0).id());
      assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
      assertThat(readAll(log)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReaderStartingAtTheTailSeesOnlyLaterEvents() {
    EventLog log = log(4);
    assertThat(done(log.tail())).isEqualTo(StreamPositions.start(4));
    done(log.append(numbered("task:a", 1)));
    StreamPositions tail = done(log.tail());
    Appended later = done(log.append(numbered("task:a", 2)));

    ReadBatch batch = done(log.read(tail, 100, Duration.ofSeconds(1)));

    assertThat(batch.events()).extracting(StoredEvent::id).containsExactly(later.id());
  }

  @Test
  void aReadWaitsUntilAnAppendGivesItAnEntry() {
    EventLog log = log(4);
    StreamPositions tail = done(log.tail());
    CompletableFuture<ReadBatch> pending =
        log.read(tail, 100, Duration.ofSeconds(20)).toCompletableFuture();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !pending.isDone());

    Appended appended = done(log.append(numbered("task:a", 1)));

    await().atMost(Duration.ofSeconds(5)).until(pending::isDone);
    assertThat(pending.join().events()).extracting(StoredEvent::id).containsExactly(appended.id());
  }

  @Test
  void aReadWithNothingNewReturnsAnEmptyBatchWhenTheWaitElapses() {
    EventLog log = log(4);
    StreamPositions tail = done(log.tail());

    ReadBatch batch = done(log.read(tail, 100, Duration.ofMillis(200)));

    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.next()).isEqualTo(tail);
  }

  @Test
  void appendAllStoresInRequestOrderAndAnswersInRequestOrder() {
    EventLog log = log(2);
    List<EventDraft> drafts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      drafts.add(numbered(i % 2 == 0 ? "task:a" : "task:b", i));
    }
    drafts.add(withNonce("task:a", "k"));
    drafts.add(withNonce("task:a", "k"));

    List<Appended> results = done(log.appendAll(drafts));

    assertThat(results).hasSize(12);
    assertThat(results)
        .extracting(Appended::room)
        .containsExactlyElementsOf(drafts.stream().map(EventDraft::room).toList());
    assertThat(results.get(11).duplicate()).isTrue();
    assertThat(results.get(11).id()).isEqualTo(results.get(10).id());
    List<EventId> roomA =
        results.subList(0, 11).stream()
            .filter(r -> r.room().equals("task:a"))
            .map(Appended::id)
            .toList();
    assertThat(roomA).isSorted();
    assertThat(readAll(log).stream().filter(e -> e.room().equals("task:a")).map(StoredEvent::id))
        .containsExactlyElementsOf(roomA);
  }

  @Test
  void replayReturnsTheRoomsLaterNonVolatileEventsInOrder() {
    EventLog log = log(1);
    Appended since = done(log.append(numbered("task:a", 0)));
    Appended a1 = done(log.append(numbered("task:a", 1)));
    done(log.append(numbered("task:b", 1)));
    Appended typing =
        done(log.append(draft("task:a", "typing.started", "{\"conversationId\":\"c\"}")));
    Appended a2 = done(log.append(numbered("task:a", 2)));

    Replay replay = done(log.replay("task:a", since.id(), 100));
    Replay fromVolatile = done(log.replay("task:a", typing.id(), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events()).extracting(StoredEvent::id).containsExactly(a1.id(), a2.id());
    assertThat(replay.events().get(1).envelopeJson()).isEqualTo(readAll(log).get(4).envelopeJson());
    assertThat(fromVolatile.events()).extracting(StoredEvent::id).containsExactly(a2.id());
  }

  @Test
  void replayFromTheLastIdIsCompleteAndEmpty() {
    EventLog log = log(1);
    done(log.append(numbered("task:a", 0)));
    Appended last = done(log.append(numbered("task:b", 0)));

    Replay replay = done(log.replay("task:a", last.id(), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.COMPLETE);
    assertThat(replay.events()).isEmpty();
  }

  @Test
  void replayOfAnIdAheadOfTheStreamIsUnknown() {
    EventLog log = log(1);
    Appended last = done(log.append(numbered("task:a", 0)));
    EventId ahead = new EventId(last.id().millis() + 60_000, 0, last.id().epoch());

    assertThat(done(log.replay("task:a", ahead, 100)).outcome()).isEqualTo(Outcome.UNKNOWN_ID);
  }

  @Test
  void replayOfAnIdFromAnotherEpochIsRefused() {
    EventLog log = log(1);
    Appended a = done(log.append(numbered("task:a", 0)));
    done(log.append(numbered("task:a", 1)));
    String other = a.id().epoch().equals("zzzzzz") ? "yyyyyy" : "zzzzzz";

    Replay replay =
        done(log.replay("task:a", new EventId(a.id().millis(), a.id().sequence(), other), 100));

    assertThat(replay.outcome()).isEqualTo(Outcome.EPOCH_CHANGED);
    assertThat(replay.events()).isEmpty();
  }

  @Test
  void replayOfMoreEventsThanTheBoundIsRefused() {
    EventLog log = log(1);
    Appended since = done(log.append(numbered("task:other", 0)));
    for (int i = 0; i < 5; i++) {
      done(log.append(numbered("task:a", i)));
    }

    assertThat(done(log.replay("task:a", since.id(), 4)).outcome()).isEqualTo(Outcome.TOO_MANY);
    assertThat(done(log.replay("task:a", since.id(), 5)).events()).hasSize(5);
  }

  @Test
  void replayPastWhatRetentionTrimmedIsRefused() {
    Duration retention = Duration.ofMillis(300);
    EventLog log = log(1, retention);
    Appended since = done(log.append(numbered("task:a", 0)));
    List<EventDraft> filler =
        IntStream.range(0, 250).mapToObj(i -> numbered("task:filler", i)).toList();
    List<Appended> filled = done(log.appendAll(filler));
    long oldEnough = filled.get(filled.size() - 1).id().millis() + retention.toMillis() + 50;
    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > oldEnough);

    done(log.append(numbered("task:a", 1)));

    Replay replay = done(log.replay("task:a", since.id(), 1000));
    assertThat(replay.outcome()).isEqualTo(Outcome.TRIMMED);
    assertThat(replay.events()).isEmpty();
  }

  @Test
  void verifyingPositionsOfEntriesStillStoredFindsNothingAndKeepsTheEpochs() {
    EventLog log = log(4);
    EventId first = done(log.append(numbered("task:a", 1))).id();
    done(log.append(numbered("task:b", 1)));
    Map<Integer, EventId> lastRead = new TreeMap<>();
    for (StoredEvent event : readAll(log)) {
      lastRead.put(event.partition(), event.id());
    }

    assertThat(done(log.verifyPositions(lastRead))).isEmpty();
    assertThat(done(log.verifyPositions(Map.of()))).isEmpty();

    EventId later = done(log.append(numbered("task:a", 2))).id();
    assertThat(later.epoch()).isEqualTo(first.epoch());
    assertThat(done(log.replay("task:a", first, 10)).events())
        .extracting(StoredEvent::id)
        .containsExactly(later);
  }

  @Test
  void reportsItsShape() {
    EventLog log = log(3, Duration.ofMinutes(2));
    assertThat(log.partitions()).isEqualTo(3);
    assertThat(log.retention()).isEqualTo(Duration.ofMinutes(2));
    assertThat(log.name()).isIn("memory", "redis");
    done(log.ping());
  }

  protected static List<StoredEvent> readAll(EventLog log) {
    return done(log.read(StreamPositions.start(log.partitions()), 10_000, Duration.ofSeconds(1)))
        .events();
  }

  protected static EventDraft draft(String room, String type, String payload) {
    return new EventDraft(room, type, payload, null, null, null, null);
  }

  protected static EventDraft numbered(String room, int n) {
    return draft(room, "task.updated", "{\"taskId\":\"t\",\"teamId\":\"x\",\"n\":" + n + "}");
  }

  protected static EventDraft withNonce(String room, String nonce) {
    return new EventDraft(room, "vote.cast", "{\"value\":\"1\"}", nonce, null, null, null);
  }

  protected static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("engine call did not succeed", e);
    }
  }
}
