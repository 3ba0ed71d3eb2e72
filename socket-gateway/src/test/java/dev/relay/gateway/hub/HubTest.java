package dev.relay.gateway.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HubTest {

  private static StoredEvent event(String room, long seq) {
    return new StoredEvent(0, new EventId(1000, seq, "e1"), room, "vote.cast", false, "{}", null);
  }

  private static class Recorder implements Subscriber {
    final List<StoredEvent> received = new ArrayList<>();

    @Override
    public Executor executor() {
      return Runnable::run;
    }

    @Override
    public void receive(Delivery delivery) {
      received.add(delivery.event());
    }
  }

  @Test
  void deliversOnlyToMembersOfTheRoomInOrder() {
    Hub hub = new Hub();
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    hub.join("session:a", a);
    hub.join("session:b", b);
    hub.dispatch(event("session:a", 1));
    hub.dispatch(event("session:b", 2));
    hub.dispatch(event("session:a", 3));
    assertThat(a.received).extracting(e -> e.id().sequence()).containsExactly(1L, 3L);
    assertThat(b.received).extracting(e -> e.id().sequence()).containsExactly(2L);
    assertThat(hub.deliveredCount()).isEqualTo(3);
  }

  @Test
  void joinIsIdempotentAndLeaveRemovesEmptyRooms() {
    Hub hub = new Hub();
    Recorder a = new Recorder();
    hub.join("team:1", a);
    hub.join("team:1", a);
    assertThat(hub.memberCount("team:1")).isEqualTo(1);
    assertThat(hub.dispatch(event("team:1", 1))).isEqualTo(1);
    hub.leave("team:1", a);
    assertThat(hub.roomCount()).isZero();
    assertThat(hub.dispatch(event("team:1", 2))).isZero();
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
    Hub hub = new Hub();
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
  void runsOneTaskPerEventLoopNotPerConnection() {
    List<Runnable> loopA = new ArrayList<>();
    List<Runnable> loopB = new ArrayList<>();
    Executor a = loopA::add;
    Executor b = loopB::add;
    Hub hub = new Hub();
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

  @Test
  void concurrentJoinsAndLeavesKeepMembershipConsistent() throws Exception {
    Hub hub = new Hub();
    List<Thread> threads = new ArrayList<>();
    List<Recorder> stayers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Recorder stayer = new Recorder();
      stayers.add(stayer);
      threads.add(
          new Thread(
              () -> {
                hub.join("room:x", stayer);
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
    assertThat(hub.memberCount("room:x")).isEqualTo(4);
  }
}
