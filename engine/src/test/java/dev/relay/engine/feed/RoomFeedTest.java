package dev.relay.engine.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.FeedListener;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RoomFeed}'s guarantees over a scripted {@link LiveSource} that the test drives by hand:
 * what the store answers, which messages arrive, which are lost.
 */
class RoomFeedTest {

  private static final String ROOM = "team:a";
  private static final String EPOCH = "abc123";

  private final ScriptedSource source = new ScriptedSource();
  private final Recorder listener = new Recorder();
  private final RoomFeed feed = new RoomFeed(source, listener, 100, null);

  @AfterEach
  void close() {
    feed.close();
  }

  @Test
  void startsAtTheHeadReadAfterTheSubscriptionAndDropsWhatCameBefore() throws Exception {
    CompletionStage<EventId> started = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.contains(ROOM));
    source.sink.subscribed(ROOM);
    await().until(() -> source.headRequests.size() == 1);
    // Arrives while the head is read: 1-0 is at the head (already stored), 2-0 after it.
    source.sink.message(event(1), "0-0");
    source.sink.message(event(2), "1-0");
    source.headRequests.get(0).complete(id(1));

    assertThat(started.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(id(1));
    await().until(() -> listener.ids().equals(List.of(id(2))));
    assertThat(feed.healthy()).isTrue();
  }

  @Test
  void deliversTheChainOnceAndInOrderAndDropsDuplicates() throws Exception {
    live(0);
    source.sink.message(event(1), "0-0");
    source.sink.message(event(2), "1-0");
    source.sink.message(event(2), "1-0");
    source.sink.message(event(3), "2-0");
    await().until(() -> listener.ids().size() == 3);
    assertThat(listener.ids()).containsExactly(id(1), id(2), id(3));
  }

  @Test
  void repairsALostMessageFromTheStream() throws Exception {
    live(0);
    source.sink.message(event(1), "0-0");
    source.sink.message(event(3), "2-0"); // 2-0 was lost
    source.sink.message(event(4), "3-0"); // buffered while repairing
    await().until(() -> source.reads.size() == 1);
    assertThat(source.reads.get(0).after).isEqualTo(id(1));
    assertThat(source.reads.get(0).markLoss).isTrue();
    source.reads.get(0).answer.complete(Replay.complete(List.of(event(2), event(3))));

    await().until(() -> listener.ids().size() == 4);
    assertThat(listener.ids()).containsExactly(id(1), id(2), id(3), id(4));
    assertThat(listener.lost).isEmpty();
  }

  @Test
  void aGapThatCannotBeRepairedIsALostPositionThenGoesOnFromTheHead() throws Exception {
    live(0);
    source.sink.message(event(5), "4-0");
    await().until(() -> source.reads.size() == 1);
    source.reads.get(0).answer.complete(Replay.refused(Replay.Outcome.TRIMMED));
    await().until(() -> source.headRequests.size() == 2);
    source.headRequests.get(1).complete(id(5));
    source.sink.message(event(6), "5-0");

    await().until(() -> listener.ids().size() == 1);
    assertThat(listener.lost).containsExactly(ROOM + "@" + id(5) + ":trimmed");
    assertThat(listener.ids()).containsExactly(id(6));
  }

  @Test
  void anInterruptionHoldsTheRoomUntilItIsRepairedAfterTheNewSubscription() throws Exception {
    live(1);
    source.sink.interrupted(List.of(ROOM));
    await().until(() -> !feed.healthy());
    source.sink.message(event(3), "2-0"); // after the re-subscription, before the repair
    source.sink.subscribed(ROOM);
    await().until(() -> source.reads.size() == 1);
    assertThat(source.reads.get(0).after).isEqualTo(id(1));
    source.reads.get(0).answer.complete(Replay.complete(List.of(event(2), event(3))));

    await().until(() -> listener.ids().size() == 2);
    assertThat(listener.ids()).containsExactly(id(2), id(3));
    await().until(feed::healthy);
  }

  @Test
  void anEventOfAnotherEpochIsALostPosition() throws Exception {
    live(4);
    StoredEvent next = new StoredEvent(new EventId(9, 0, "zzz999"), ROOM, "t", false, "{}", null);
    source.sink.message(next, "0-0");
    await().until(() -> listener.ids().size() == 1);
    assertThat(listener.lost).containsExactly(ROOM + "@0-0.zzz999:epoch_changed");
  }

  @Test
  void messagesStillInFlightFromALifeTheRoomLeftAreDroppedNotAnotherChange() throws Exception {
    live(1);
    source.sink.message(event(3), "2-0"); // a gap: repair
    await().until(() -> source.reads.size() == 1);
    source.sink.message(event(4), "3-0"); // old life, buffered during the repair
    source.reads.get(0).answer.complete(Replay.refused(Replay.Outcome.EPOCH_CHANGED));
    await().until(() -> source.headRequests.size() == 2);
    source.headRequests.get(1).complete(new EventId(4, 0, "new999"));
    source.sink.message(event(5), "4-0"); // still the old life, in flight
    StoredEvent next = new StoredEvent(new EventId(6, 0, "new999"), ROOM, "t", false, "{}", null);
    source.sink.message(next, "4-0");

    await().until(() -> listener.ids().size() == 1);
    assertThat(listener.ids()).containsExactly(next.id());
    assertThat(listener.lost).containsExactly(ROOM + "@4-0.new999:epoch_changed");
  }

  @Test
  void theFirstEntryOfANewLifeContinuesARoomThatHadNothing() throws Exception {
    live(0);
    StoredEvent first = new StoredEvent(new EventId(9, 0, "zzz999"), ROOM, "t", false, "{}", null);
    source.sink.message(first, "0-0");
    await().until(() -> listener.ids().size() == 1);
    assertThat(listener.lost).isEmpty();
  }

  @Test
  void aFailedSubscriptionFailsTheFollowAndLeavesTheRoom() {
    CompletionStage<EventId> started = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.contains(ROOM));
    source.sink.subscribeFailed(ROOM, new EngineUnavailableException("down", null));
    await().until(() -> started.toCompletableFuture().isDone());
    assertThat(started.toCompletableFuture()).isCompletedExceptionally();
    await().until(() -> feed.followedRooms() == 0);
    assertThat(source.unsubscribeCalls).contains(ROOM);
  }

  @Test
  void messagesOfRoomsNotFollowedAreCountedButNotDelivered() throws Exception {
    live(0);
    source.sink.message(
        new StoredEvent(new EventId(1, 0, EPOCH), "team:other", "t", false, "{}", null), "0-0");
    source.sink.message(event(1), "0-0");
    await().until(() -> listener.ids().size() == 1);
    assertThat(feed.eventsReceived()).isEqualTo(2);
  }

  @Test
  void followUnfollowFollowEndsFollowed() throws Exception {
    feed.follow(ROOM);
    feed.unfollow(ROOM);
    CompletionStage<EventId> again = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.size() == 2);
    assertThat(source.unsubscribeCalls).containsExactly(ROOM);
    source.sink.subscribed(ROOM);
    await().until(() -> source.headRequests.size() == 1);
    source.headRequests.get(0).complete(id(0));
    assertThat(again.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(id(0));
    assertThat(feed.followedRooms()).isEqualTo(1);
  }

  /**
   * The first subscription's confirmation reaches the feed only after the room was unfollowed and
   * followed again, so the feed starts on it while the second subscription is not active yet (an
   * event published then reaches no subscriber). The second confirmation makes the feed repair from
   * where it started: the event is read from the stream, not lost. (Found by FeedContract on Redis
   * under load, once in a few hundred runs.)
   */
  @Test
  void aConfirmationOfAnEarlierSubscriptionIsFollowedByARepairOnceTheRoomsOwnIsActive()
      throws Exception {
    feed.follow(ROOM);
    feed.unfollow(ROOM);
    CompletionStage<EventId> again = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.size() == 2);
    source.sink.subscribed(ROOM); // the first subscription's, delivered late
    await().until(() -> source.headRequests.size() == 1);
    source.headRequests.get(0).complete(id(1));
    assertThat(again.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(id(1));
    await().until(feed::healthy); // live right after the follow's answer, on the feed thread
    // 2-0 is published now: no subscription carries it. Then the room's own one is confirmed.
    source.sink.subscribed(ROOM);
    await().until(() -> source.reads.size() == 1);
    assertThat(source.reads.get(0).after).isEqualTo(id(1));
    assertThat(feed.healthy()).isFalse();
    source.reads.get(0).answer.complete(Replay.complete(List.of(event(2))));

    await().until(() -> listener.ids().size() == 1);
    assertThat(listener.ids()).containsExactly(id(2));
    await().until(feed::healthy);
  }

  @Test
  void aSecondConfirmationWhileTheHeadIsReadReadsItAgain() throws Exception {
    CompletionStage<EventId> started = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.contains(ROOM));
    source.sink.subscribed(ROOM);
    await().until(() -> source.headRequests.size() == 1);
    source.sink.subscribed(ROOM);
    await().until(() -> source.headRequests.size() == 2);
    source.headRequests.get(0).complete(id(1)); // read before the room's own subscription: ignored
    source.headRequests.get(1).complete(id(2));

    assertThat(started.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(id(2));
  }

  /** Follows {@link #ROOM} and starts it at {@code n-0}. */
  private void live(long n) throws InterruptedException, ExecutionException {
    CompletionStage<EventId> started = feed.follow(ROOM);
    await().until(() -> source.subscribeCalls.contains(ROOM));
    source.sink.subscribed(ROOM);
    await().until(() -> !source.headRequests.isEmpty());
    source.headRequests.get(0).complete(id(n));
    try {
      started.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  private static EventId id(long n) {
    return new EventId(n, 0, EPOCH);
  }

  private static StoredEvent event(long n) {
    return new StoredEvent(id(n), ROOM, "t", false, "{\"n\":" + n + "}", null);
  }

  private static final class Recorder implements FeedListener {
    final List<StoredEvent> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> lost = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void event(StoredEvent event) {
      events.add(event);
    }

    @Override
    public void positionLost(String room, EventId resumeAfter, String reason) {
      lost.add(room + "@" + resumeAfter + ":" + reason);
    }

    List<EventId> ids() {
      synchronized (events) {
        return events.stream().map(StoredEvent::id).toList();
      }
    }
  }

  private static final class ScriptedSource implements LiveSource {
    record Read(EventId after, boolean markLoss, CompletableFuture<Replay> answer) {}

    volatile LiveSink sink;
    final List<String> subscribeCalls = Collections.synchronizedList(new ArrayList<>());
    final List<String> unsubscribeCalls = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<EventId>> headRequests =
        Collections.synchronizedList(new ArrayList<>());
    final List<Read> reads = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void start(LiveSink sink) {
      this.sink = sink;
    }

    @Override
    public void subscribe(String room) {
      subscribeCalls.add(room);
    }

    @Override
    public void unsubscribe(String room) {
      unsubscribeCalls.add(room);
    }

    @Override
    public CompletionStage<EventId> head(String room) {
      CompletableFuture<EventId> answer = new CompletableFuture<>();
      headRequests.add(answer);
      return answer;
    }

    @Override
    public CompletionStage<Replay> read(String room, EventId after, int max, boolean markLoss) {
      CompletableFuture<Replay> answer = new CompletableFuture<>();
      reads.add(new Read(after, markLoss, answer));
      return answer;
    }

    @Override
    public void close() {}
  }
}
