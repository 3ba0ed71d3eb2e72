package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.relay.contracts.EventId;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.presence.MemoryPresenceStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Presence announcements are paced (SPEC §10): churn cannot flood a room with presence events. */
class StorePresenceDirectoryTest {

  private static final Duration PACE = Duration.ofMillis(200);
  private static final String ROOM = "team:1";

  private final MemoryEventLog log = new MemoryEventLog();
  private final StorePresenceDirectory directory =
      new StorePresenceDirectory(new MemoryPresenceStore(), log, "gw-1", PACE);

  /**
   * Every event of the room, volatile ones (all presence events are) included, as a feed sees it.
   */
  private final List<String> announced = new CopyOnWriteArrayList<>();

  private Feed feed;

  @BeforeEach
  void followTheRoom() {
    feed =
        log.openFeed(
            new FeedListener() {
              @Override
              public void event(StoredEvent event) {
                announced.add(event.type());
              }

              @Override
              public void positionLost(String room, EventId resumeAfter, String reason) {
                announced.add("lost");
              }
            });
    feed.follow(ROOM).toCompletableFuture().join();
  }

  @AfterEach
  void close() {
    feed.close();
    log.close();
  }

  @Test
  void aRapidLeaveAndRejoinAnnouncesNothing() {
    directory.joined(ROOM, "u1", "c1", null);
    int afterJoin = tail();
    directory.left(ROOM, "u1", "c1");
    directory.joined(ROOM, "u1", "c2", null);
    await()
        .during(PACE.multipliedBy(3))
        .atMost(PACE.multipliedBy(5))
        .until(() -> announcedSince(afterJoin).isEmpty());
  }

  @Test
  void aDepartureIsAnnouncedOnceAfterThePace() {
    directory.joined(ROOM, "u1", "c1", null);
    int afterJoin = tail();
    directory.left(ROOM, "u1", "c1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !announcedSince(afterJoin).isEmpty());
    assertThat(announcedSince(afterJoin)).containsExactly("presence.left");
  }

  @Test
  void aFlushAnnouncesWaitingDeparturesAtOnce() {
    StorePresenceDirectory slow =
        new StorePresenceDirectory(new MemoryPresenceStore(), log, "gw-2", Duration.ofHours(1));
    slow.joined(ROOM, "u2", "c1", null);
    int afterJoin = tail();
    slow.left(ROOM, "u2", "c1");
    assertThat(announcedSince(afterJoin)).isEmpty();
    slow.flushPending().join();
    // Appended by then; the feed hands it to the listener asynchronously.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(announcedSince(afterJoin)).containsExactly("presence.left"));
  }

  @Test
  void churnAnnouncesAtMostOneJoinAndOneLeave() {
    int start = tail();
    for (int i = 0; i < 500; i++) {
      directory.joined(ROOM, "u1", "c" + i, null);
      directory.left(ROOM, "u1", "c" + i);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> announcedSince(start).contains("presence.left"));
    assertThat(announcedSince(start)).containsExactly("presence.joined", "presence.left");
  }

  /** While the store is down, its failures are counted into one line, not logged one each. */
  @Test
  void anOutageLogsAtMostOneLinePerKindOfAnnouncement() {
    Logger logger = (Logger) LoggerFactory.getLogger(StorePresenceDirectory.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      MemoryEventLog down = new MemoryEventLog();
      down.close();
      StorePresenceDirectory directory =
          new StorePresenceDirectory(new MemoryPresenceStore(), down, "gw-3", Duration.ZERO);
      for (int i = 0; i < 200; i++) {
        directory.joined(ROOM, "u" + i, "c" + i, null);
      }
      for (int i = 0; i < 200; i++) {
        directory.left(ROOM, "u" + i, "c" + i);
      }
      directory.flushPending().join();
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> lines.list.size() <= 2);
      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .allSatisfy(line -> assertThat(line).contains("not published"))
          .hasSizeLessThanOrEqualTo(2);
    } finally {
      logger.detachAppender(lines);
    }
  }

  /**
   * How many events were announced so far, once every append made before is delivered (the feed
   * delivers in append order, so a marker event's arrival proves it).
   */
  private int tail() {
    String marker = "test.marker";
    log.append(new dev.relay.engine.EventDraft(ROOM, marker, "{}", null, null, null, null))
        .toCompletableFuture()
        .join();
    await().atMost(Duration.ofSeconds(5)).until(() -> announced.contains(marker));
    announced.remove(marker);
    return announced.size();
  }

  private List<String> announcedSince(int from) {
    List<String> all = List.copyOf(announced);
    return all.subList(Math.min(from, all.size()), all.size());
  }
}
