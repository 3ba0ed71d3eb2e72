package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.contracts.protocol.json.ServerMessages.Member;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.Feed;
import dev.relay.engine.FeedListener;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.TokenVerifier;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FanoutObserver;
import dev.relay.gateway.hub.Hub;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A session over a hub whose feed the test answers by hand: subscribe-then-read (a subscribe is
 * answered only once its room is followed, and the room's live events wait for that answer), a
 * failed follow, and the per-room positions the resume offset carries.
 */
class ClientSessionTest {

  private static final EventId START = new EventId(1000, 0, "ep1");

  /** Follows stay pending until the test completes them. */
  private static final class PendingFeed implements Feed {
    final Map<String, CompletableFuture<EventId>> follows = new HashMap<>();
    FeedListener listener;

    @Override
    public CompletionStage<EventId> follow(String room) {
      return follows.computeIfAbsent(room, r -> new CompletableFuture<>());
    }

    @Override
    public void unfollow(String room) {
      follows.remove(room);
    }

    @Override
    public boolean healthy() {
      return true;
    }

    @Override
    public int followedRooms() {
      return follows.size();
    }

    @Override
    public long eventsReceived() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** Everything the session sent, in order: events by id, replies as text. */
  private static final class Channel implements ClientChannel {
    final List<String> out = new ArrayList<>();
    final Executor executor = Runnable::run;

    @Override
    public Executor executor() {
      return executor;
    }

    @Override
    public void sendEvent(Delivery delivery) {
      out.add("event " + delivery.event().id());
    }

    @Override
    public void send(String frame) {
      out.add(frame);
    }

    @Override
    public ReplyCodec replies() {
      return null;
    }

    @Override
    public void close(int code, String reason) {
      out.add("close " + code);
    }
  }

  private static final class NoPresence implements PresenceDirectory {
    @Override
    public void joined(String room, String sub, String connectionId, String info) {}

    @Override
    public CompletionStage<Boolean> setState(String room, String sub, String state) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public void left(String room, String sub, String connectionId) {}

    @Override
    public CompletionStage<List<Member>> members(String room) {
      return CompletableFuture.completedFuture(List.of());
    }
  }

  private final PendingFeed feed = new PendingFeed();
  private final Hub hub =
      new Hub(
          listener -> {
            feed.listener = listener;
            return feed;
          },
          FanoutObserver.NONE);
  private final Channel channel = new Channel();
  private final MemoryEventLog log = new MemoryEventLog();
  private final ClientSession session =
      new ClientSession(
          "c1",
          new ConnectionGrant(
              "u1",
              "s1",
              Set.of(),
              Set.of("team"),
              Set.of(),
              Instant.now().plus(Duration.ofMinutes(5)),
              "jti-1",
              null,
              null),
          new SessionServices(
              hub,
              log,
              new TokenVerifier(
                  List.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                  Duration.ofHours(1),
                  Duration.ofSeconds(30),
                  Clock.systemUTC(),
                  jti -> false),
              null,
              null,
              new NoPresence(),
              SessionLimits.defaults(),
              Clock.systemUTC()),
          channel);
  private final SessionRequests requests = new SessionRequests(session);

  private static StoredEvent event(String room, long sequence) {
    return new StoredEvent(
        new EventId(2000, sequence, "ep1"), room, "vote.cast", false, "{}", null);
  }

  private Reply<ClientSession.Subscribed> recording() {
    return new Reply<>() {
      @Override
      public void ok(ClientSession.Subscribed value) {
        channel.out.add("subscribed " + value.room());
      }

      @Override
      public void error(String code, String detail) {
        channel.out.add("error " + code);
      }
    };
  }

  @Test
  void aSubscribeIsAnsweredOnceFollowedAndTheRoomsEventsFollowTheAnswer() {
    requests.subscribe("team:1", null, null, null, recording());
    feed.listener.event(event("team:1", 1)); // the feed may deliver before the follow answers
    assertThat(channel.out).isEmpty();

    feed.follows.get("team:1").complete(START);
    feed.listener.event(event("team:1", 2));
    assertThat(channel.out)
        .containsExactly("subscribed team:1", "event 2000-1.ep1", "event 2000-2.ep1");
  }

  @Test
  void aFailedFollowAnswersUnavailableAndLeavesTheRoom() {
    requests.subscribe("team:1", null, null, null, recording());
    feed.follows.get("team:1").completeExceptionally(new EngineUnavailableException("down", null));
    assertThat(channel.out).containsExactly("error unavailable");
    assertThat(session.rooms()).isEmpty();
    assertThat(hub.memberCount("team:1")).isZero();
  }

  @Test
  void eventsAtOrBeforeTheStartPositionAreNotDelivered() {
    requests.subscribe("team:1", null, null, null, recording());
    feed.follows.get("team:1").complete(new EventId(2000, 1, "ep1"));
    feed.listener.event(event("team:1", 1));
    feed.listener.event(event("team:1", 2));
    assertThat(channel.out).containsExactly("subscribed team:1", "event 2000-2.ep1");
  }

  @Test
  void theOffsetCarriesEveryRoomAtItsPosition() {
    requests.subscribe("team:1", null, null, null, recording());
    requests.subscribe("team:2", null, null, null, recording());
    feed.follows.get("team:1").complete(START);
    feed.follows.get("team:2").complete(new EventId(0, 0, "ep9"));
    feed.listener.event(event("team:1", 3));

    ResumeOffset offset = ResumeOffset.decode(session.offset()).orElseThrow();
    assertThat(offset.position("team:1")).isEqualTo(new EventId(2000, 3, "ep1"));
    assertThat(offset.position("team:2")).isEqualTo(new EventId(0, 0, "ep9"));
    assertThat(offset.size()).isEqualTo(2);
  }

  @Test
  void followingAgainAfterTheStartWasTakenKeepsEveryPositionExact() {
    requests.subscribe("team:1", null, null, null, recording());
    feed.follows.get("team:1").complete(START);
    feed.listener.event(event("team:1", 3));
    requests.subscribe("team:2", null, null, null, recording());

    // team:1's start answer was moved into its position and dropped; team:2's is still pending.
    CompletableFuture<Void> again = session.followed().toCompletableFuture();
    assertThat(again).isNotDone();
    feed.follows.get("team:2").complete(new EventId(500, 7, "ep9"));
    assertThat(again).isCompleted();

    feed.listener.event(event("team:1", 3)); // already delivered: not again
    ResumeOffset offset = ResumeOffset.decode(session.offset()).orElseThrow();
    assertThat(offset.position("team:1")).isEqualTo(new EventId(2000, 3, "ep1"));
    assertThat(offset.position("team:2")).isEqualTo(new EventId(500, 7, "ep9"));
    assertThat(channel.out)
        .containsExactly("subscribed team:1", "event 2000-3.ep1", "subscribed team:2");
  }

  @Test
  void aLostRoomClosesTheConnectionGoingAway() {
    requests.subscribe("team:1", null, null, null, recording());
    feed.follows.get("team:1").complete(START);
    feed.listener.positionLost("team:1", new EventId(3000, 0, "ep2"), "epoch_changed");
    assertThat(channel.out).containsExactly("subscribed team:1", "close 1001");
  }

  private StoredEvent appendDelta(String room, int seq) {
    Appended appended =
        log.append(
                new EventDraft(
                    room,
                    "message.delta",
                    "{\"messageId\":\"m1\",\"conversationId\":\"c1\",\"seq\":"
                        + seq
                        + ",\"delta\":\"d"
                        + seq
                        + "\"}",
                    null,
                    null,
                    null,
                    null))
            .toCompletableFuture()
            .join();
    return new StoredEvent(
        appended.id(), room, "message.delta", true, appended.envelopeJson(), null);
  }

  /**
   * SPEC §12: the snapshot is read after the follow answered, at the room's newest id A; it is sent
   * right after the answer, with the room's position as its id, and the deltas at or before A are
   * dropped even when the feed hands them over only later; the deltas after A are delivered.
   */
  @Test
  void aSnapshotFollowsTheAnswerAndTheDeltasItHoldsAreNeverDelivered() {
    StoredEvent first = appendDelta("team:9", 1);
    StoredEvent second = appendDelta("team:9", 2);
    StoredEvent third = appendDelta("team:9", 3);
    requests.subscribe("team:9", null, null, null, recording());
    feed.listener.event(second); // arrives before the follow answered: held
    feed.follows.get("team:9").complete(first.id());

    feed.listener.event(third); // at A: in the snapshot
    StoredEvent fourth = appendDelta("team:9", 4);
    feed.listener.event(fourth);

    assertThat(channel.out)
        .containsExactly("subscribed team:9", "event " + first.id(), "event " + fourth.id());
  }
}
