package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Feed} half of {@link EventLogContract}, and the fixture both halves share: each test
 * opens its own logs and uses rooms no other test (or other run on a shared Redis) uses, since
 * sharded Pub/Sub channels are not scoped by database. Implementations extend {@link
 * EventLogContract}.
 */
public abstract class FeedContract {

  protected static final Duration LONG_RETENTION = Duration.ofMinutes(5);
  protected static final Duration WAIT = Duration.ofSeconds(10);
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /** A new log over an empty store. */
  protected abstract EventLog open(Duration retention, int maxRoomEvents);

  protected EventLog log() {
    return log(LONG_RETENTION, 10_000);
  }

  protected EventLog log(Duration retention, int maxRoomEvents) {
    EventLog log = open(retention, maxRoomEvents);
    opened.add(log);
    return log;
  }

  /** A room name unique to this test instance. */
  protected String room(String name) {
    return name + "-" + run;
  }

  /** A feed of {@code log} recording what it delivers, closed after the test. */
  protected Recorder feed(EventLog log) {
    Recorder recorder = new Recorder();
    recorder.feed = log.openFeed(recorder);
    opened.add(recorder.feed);
    return recorder;
  }

  @AfterEach
  void closeLogs() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  @Test
  void volatileEventsAreDeliveredLiveFlaggedAndWithoutOptionalFields() {
    EventLog log = log();
    String room = room("chat:1");
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    done(log.append(draft(room, "typing.started", "{\"conversationId\":\"1\"}")));

    StoredEvent event = feed.awaitEvents(room, 1).get(0);

    assertThat(event.volatileEvent()).isTrue();
    assertThat(event.traceparent()).isNull();
    assertThat(event.envelopeJson()).doesNotContain("nonce", "actor");
    Envelope envelope = EnvelopeCodec.decode(event.envelopeJson());
    assertThat(event.envelopeJson()).contains("\"issuedAt\":\"" + envelope.publishedAt() + "\"");
  }

  @Test
  void aFollowDeliversEveryLaterEventOnceInOrderAndNoneAtOrBeforeItsPosition() {
    EventLog log = log();
    String room = room("task:live");
    Appended earlier = done(log.append(numbered(room, 0)));
    Recorder feed = feed(log);

    EventId position = done(feed.feed.follow(room));
    List<EventId> later = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      later.add(done(log.append(numbered(room, i))).id());
    }

    assertThat(position).isEqualTo(earlier.id());
    assertThat(feed.awaitEvents(room, 30))
        .extracting(StoredEvent::id)
        .containsExactlyElementsOf(later);
    assertThat(feed.lost).isEmpty();
  }

  @Test
  void twoRoomsAreIndependentAndAFeedReceivesOnlyFollowedRooms() {
    EventLog log = log();
    String a = room("task:a");
    String b = room("task:b");
    String other = room("task:other");
    Recorder feed = feed(log);
    done(feed.feed.follow(a));
    done(feed.feed.follow(b));

    for (int i = 0; i < 10; i++) {
      done(log.append(numbered(a, i)));
      done(log.append(numbered(other, i)));
      if (i % 2 == 0) {
        done(log.append(numbered(b, i)));
      }
    }

    assertThat(feed.awaitEvents(a, 10)).extracting(StoredEvent::room).containsOnly(a);
    assertThat(feed.awaitEvents(b, 5)).extracting(StoredEvent::room).containsOnly(b);
    assertThat(feed.feed.followedRooms()).isEqualTo(2);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> feed.events.size() == 15);
    assertThat(feed.feed.eventsReceived()).isEqualTo(15);
  }

  @Test
  void followingAFollowedRoomAnswersTheLastDeliveredPosition() {
    EventLog log = log();
    String room = room("task:again");
    Recorder feed = feed(log);
    EventId start = done(feed.feed.follow(room));
    assertThat(done(feed.feed.follow(room))).isEqualTo(start);

    done(log.append(numbered(room, 1)));
    Appended last = done(log.append(numbered(room, 2)));
    feed.awaitEvents(room, 2);

    assertThat(done(feed.feed.follow(room))).isEqualTo(last.id());
  }

  @Test
  void unfollowStopsDeliveryAndFollowUnfollowFollowEndsFollowed() {
    EventLog log = log();
    String gone = room("task:gone");
    String back = room("task:back");
    String marker = room("task:marker");
    Recorder feed = feed(log);
    done(feed.feed.follow(gone));
    done(feed.feed.follow(marker));
    feed.feed.unfollow(gone);
    feed.feed.follow(back);
    feed.feed.unfollow(back);
    EventId position = done(feed.feed.follow(back));

    done(log.append(numbered(gone, 1)));
    Appended backEvent = done(log.append(numbered(back, 1)));
    done(log.append(numbered(marker, 1)));

    assertThat(feed.awaitEvents(back, 1))
        .extracting(StoredEvent::id)
        .containsExactly(backEvent.id());
    feed.awaitEvents(marker, 1);
    assertThat(feed.eventsOf(gone)).isEmpty();
    assertThat(feed.feed.followedRooms()).isEqualTo(2);
    assertThat(backEvent.id().epoch()).isEqualTo(position.epoch());
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
