package dev.relay.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.EventId;
import dev.relay.engine.EventDraft;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.memory.MemoryEventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubTest {

  private final MemoryEventLog log = new MemoryEventLog();

  @AfterEach
  void closeLog() {
    log.close();
  }

  private static StoredEvent event(String room, long seq) {
    return new StoredEvent(new EventId(1000, seq, "ep1"), room, "vote.cast", false, "{}", null);
  }

  private static class Recorder implements Subscriber {
    final List<StoredEvent> received = Collections.synchronizedList(new ArrayList<>());
    final List<String> lost = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Executor executor() {
      return Runnable::run;
    }

    @Override
    public void receive(Delivery delivery) {
      received.add(delivery.event());
    }

    @Override
    public void roomLost(String room) {
      lost.add(room);
    }

    List<EventId> ids() {
      synchronized (received) {
        return received.stream().map(StoredEvent::id).toList();
      }
    }
  }

  private EventId publish(String room) {
    return log.append(new EventDraft(room, "vote.cast", "{}", null, null, null, null))
        .toCompletableFuture()
        .join()
        .id();
  }

  @Test
  void deliversOnlyToMembersOfTheRoomInOrder() {
    Hub hub = new Hub(log::openFeed, FanoutObserver.NONE);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    hub.join("session:a", a).toCompletableFuture().join();
    hub.join("session:b", b).toCompletableFuture().join();
    EventId a1 = publish("session:a");
    EventId b1 = publish("session:b");
    EventId a2 = publish("session:a");
    await().atMost(Duration.ofSeconds(5)).until(() -> a.ids().size() == 2 && b.ids().size() == 1);
    assertThat(a.ids()).containsExactly(a1, a2);
    assertThat(b.ids()).containsExactly(b1);
    assertThat(hub.deliveredCount()).isEqualTo(3);
    hub.close();
  }

  @Test
  void theFirstMemberStartsWhereTheFollowStartsALaterOneAtTheLastDispatchedId() {
    Hub hub = new Hub(log::openFeed, FanoutObserver.NONE);
    EventId before = publish("team:1");
    Recorder first = new Recorder();
    EventId start = hub.join("team:1", first).toCompletableFuture().join();
    assertThat(start).isEqualTo(before); // the room's head when it was followed
    EventId e1 = publish("team:1");
    EventId e2 = publish("team:1");
    await().atMost(Duration.ofSeconds(5)).until(() -> first.ids().size() == 2);
    Recorder second = new Recorder();
    EventId secondStart = hub.join("team:1", second).toCompletableFuture().join();
    assertThat(secondStart).isEqualTo(e2);
    EventId e3 = publish("team:1");
    await().atMost(Duration.ofSeconds(5)).until(() -> second.ids().size() == 1);
    assertThat(first.ids()).containsExactly(e1, e2, e3);
    assertThat(second.ids()).containsExactly(e3);
    hub.close();
  }

  @Test
  void aRoomWithoutEventsStartsAtItsEpochsStart() {
    Hub hub = new Hub(log::openFeed, FanoutObserver.NONE);
    EventId start = hub.join("team:empty", new Recorder()).toCompletableFuture().join();
    assertThat(start.streamId()).isEqualTo(EventId.STREAM_START);
    hub.close();
  }

  @Test
  void receivesNothingOfRoomsWithoutLocalMembers() {
    Hub hub = new Hub(log::openFeed, FanoutObserver.NONE);
    Recorder member = new Recorder();
    hub.join("team:here", member).toCompletableFuture().join();
    for (int i = 0; i < 20; i++) {
      publish("team:elsewhere");
    }
    publish("team:here");
    await().atMost(Duration.ofSeconds(5)).until(() -> member.ids().size() == 1);
    assertThat(hub.feed().eventsReceived()).isEqualTo(1);
    assertThat(hub.feed().followedRooms()).isEqualTo(1);
    hub.leave("team:here", member);
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.feed().followedRooms() == 0);
    publish("team:here");
    assertThat(hub.feed().eventsReceived()).isEqualTo(1);
    hub.close();
  }

  @Test
  void followsOnTheFirstJoinAndUnfollowsOnTheLastLeave() {
    ScriptedFeed feed = new ScriptedFeed();
    Hub hub = ScriptedFeed.hub(feed);
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    hub.join("team:1", a);
    hub.join("team:1", a);
    hub.join("team:1", b);
    assertThat(hub.memberCount("team:1")).isEqualTo(2);
    hub.leave("team:1", a);
    hub.leave("team:1", b);
    hub.join("team:1", a);
    assertThat(feed.calls()).containsExactly("follow team:1", "unfollow team:1", "follow team:1");
    hub.leave("team:1", a);
    assertThat(hub.roomCount()).isZero();
    assertThat(hub.dispatch(event("team:1", 2))).isZero();
  }

  @Test
  void concurrentJoinsAndLeavesReachTheFeedInMembershipOrder() throws Exception {
    ScriptedFeed feed = new ScriptedFeed();
    Hub hub = ScriptedFeed.hub(feed);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  Recorder transient_ = new Recorder();
                  hub.join("room:x", transient_);
                  hub.leave("room:x", transient_);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(hub.memberCount("room:x")).isZero();
    List<String> calls = feed.calls();
    assertThat(calls).isNotEmpty();
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i)).isEqualTo(i % 2 == 0 ? "follow room:x" : "unfollow room:x");
    }
    assertThat(calls).last().isEqualTo("unfollow room:x");
  }

  @Test
  void aFailedFollowFailsTheJoinAndTheNextJoinFollowsAgain() {
    ScriptedFeed feed = new ScriptedFeed();
    Hub hub = ScriptedFeed.hub(feed);
    feed.down = true;
    Recorder a = new Recorder();
    assertThatThrownBy(() -> hub.join("team:1", a).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class);
    feed.down = false;
    Recorder b = new Recorder();
    assertThat(hub.join("team:1", b).toCompletableFuture().join()).isEqualTo(feed.start);
    hub.leave("team:1", a);
    hub.leave("team:1", b);
    assertThat(feed.calls()).containsExactly("follow team:1", "follow team:1", "unfollow team:1");
  }

  @Test
  void aLostPositionTellsTheMembersAndMovesTheRoomsPosition() {
    ScriptedFeed feed = new ScriptedFeed();
    Hub hub = ScriptedFeed.hub(feed);
    Recorder a = new Recorder();
    hub.join("team:1", a);
    hub.join("team:2", new Recorder());
    EventId resumeAfter = new EventId(5000, 0, "ep2");
    feed.listener.positionLost("team:1", resumeAfter, "epoch_changed");
    assertThat(a.lost).containsExactly("team:1");
    Recorder later = new Recorder();
    assertThat(hub.join("team:1", later).toCompletableFuture().join()).isEqualTo(resumeAfter);
  }

  @Test
  void encodesEachFrameFormatOncePerEvent() {
    AtomicInteger encodings = new AtomicInteger();
    FrameFormat format =
        FrameFormat.of(
            e -> {
              encodings.incrementAndGet();
              return new byte[] {1};
            });
    Hub hub = ScriptedFeed.hub(new ScriptedFeed());
    for (int i = 0; i < 50; i++) {
      hub.join(
          "session:big",
          new Recorder() {
            @Override
            public void receive(Delivery delivery) {
              delivery.frame(format);
            }
          });
    }
    hub.dispatch(event("session:big", 1));
    assertThat(encodings).hasValue(1);
  }

  @Test
  void sharesAnOffsetFrameBetweenConnectionsWithTheSameOffset() {
    AtomicInteger encodings = new AtomicInteger();
    FrameFormat format =
        FrameFormat.withOffset(
            d -> new byte[] {0},
            (d, offset) -> {
              encodings.incrementAndGet();
              return offset.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            });
    Delivery d = new Delivery(event("team:1", 1), true);
    for (int i = 0; i < 10; i++) {
      d.frame(format, "same");
    }
    assertThat(new String(d.frame(format, "other"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("other");
    assertThat(encodings).hasValue(2);
  }

  @Test
  void runsOneTaskPerEventLoopNotPerConnection() {
    List<Runnable> loopA = new ArrayList<>();
    List<Runnable> loopB = new ArrayList<>();
    Executor a = loopA::add;
    Executor b = loopB::add;
    Hub hub = ScriptedFeed.hub(new ScriptedFeed());
    List<Recorder> members = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Executor loop = i % 2 == 0 ? a : b;
      Recorder r =
          new Recorder() {
            @Override
            public Executor executor() {
              return loop;
            }
          };
      members.add(r);
      hub.join("session:one", r);
    }
    assertThat(hub.dispatch(event("session:one", 1))).isEqualTo(100);
    assertThat(loopA).hasSize(1);
    assertThat(loopB).hasSize(1);
    loopA.forEach(Runnable::run);
    loopB.forEach(Runnable::run);
    assertThat(members).allSatisfy(m -> assertThat(m.received).hasSize(1));
  }
}
