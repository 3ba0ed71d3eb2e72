package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.presence.MemoryPresenceStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Presence announcements are paced (SPEC §10): churn cannot flood a room with presence events. */
class StorePresenceDirectoryTest {

  private static final Duration PACE = Duration.ofMillis(200);
  private static final String ROOM = "team:1";

  private final MemoryEventLog log = new MemoryEventLog();
  private final StorePresenceDirectory directory =
      new StorePresenceDirectory(new MemoryPresenceStore(), log, "gw-1", PACE);

  @Test
  void aRapidLeaveAndRejoinAnnouncesNothing() {
    directory.joined(ROOM, "u1", "c1");
    StreamPositions afterJoin = tail();
    directory.left(ROOM, "u1", "c1");
    directory.joined(ROOM, "u1", "c2");
    await()
        .during(PACE.multipliedBy(3))
        .atMost(PACE.multipliedBy(5))
        .until(() -> announcedSince(afterJoin).isEmpty());
  }

  @Test
  void aDepartureIsAnnouncedOnceAfterThePace() {
    directory.joined(ROOM, "u1", "c1");
    StreamPositions afterJoin = tail();
    directory.left(ROOM, "u1", "c1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !announcedSince(afterJoin).isEmpty());
    assertThat(announcedSince(afterJoin)).containsExactly("presence.left");
  }

  @Test
  void aFlushAnnouncesWaitingDeparturesAtOnce() {
    StorePresenceDirectory slow =
        new StorePresenceDirectory(new MemoryPresenceStore(), log, "gw-2", Duration.ofHours(1));
    slow.joined(ROOM, "u2", "c1");
    StreamPositions afterJoin = tail();
    slow.left(ROOM, "u2", "c1");
    assertThat(announcedSince(afterJoin)).isEmpty();
    slow.flushPending().join();
    assertThat(announcedSince(afterJoin)).containsExactly("presence.left");
  }

  @Test
  void churnAnnouncesAtMostOneJoinAndOneLeave() {
    StreamPositions start = tail();
    for (int i = 0; i < 500; i++) {
      directory.joined(ROOM, "u1", "c" + i);
      directory.left(ROOM, "u1", "c" + i);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> announcedSince(start).contains("presence.left"));
    assertThat(announcedSince(start)).containsExactly("presence.joined", "presence.left");
  }

  private StreamPositions tail() {
    return log.tail().toCompletableFuture().join();
  }

  private List<String> announcedSince(StreamPositions from) {
    return log.read(from, 1000, Duration.ZERO).toCompletableFuture().join().events().stream()
        .map(StoredEvent::type)
        .toList();
  }
}
