package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The room's publish limit (SPEC §2) on every {@link EventLog}: a draft with a {@link
 * EventDraft#roomLimit() room limit} takes one token from the room's bucket in the same atomic step
 * as its append, or is refused with a retry-after and stores nothing. Decided and checked here: a
 * nonce seen before is answered as a duplicate without spending a token.
 */
public abstract class RoomLimitContract extends FeedContract {

  private static final Limit TWO_PER_MINUTE = Limit.perMinute(2);

  private static EventDraft limited(EventDraft draft, Limit limit) {
    return draft.withRoomLimit(limit);
  }

  @Test
  void appendsWithinTheLimitAreStoredAndTheNextIsRefusedWithARetryAfter() {
    EventLog log = log();
    String room = room("limit:refused");

    Appended first = done(log.append(limited(numbered(room, 1), TWO_PER_MINUTE)));
    Appended second = done(log.append(limited(numbered(room, 2), TWO_PER_MINUTE)));
    Appended third = done(log.append(limited(numbered(room, 3), TWO_PER_MINUTE)));

    assertThat(first.isRejected()).isFalse();
    assertThat(second.isRejected()).isFalse();
    assertThat(third.isRateLimited()).isTrue();
    assertThat(third.rejected()).isEqualTo(ErrorCodes.RATE_LIMITED);
    assertThat(third.id()).isNull();
    assertThat(third.room()).isEqualTo(room);
    // one token comes back every 30 s: the wait is whole seconds, within 1-60
    assertThat(third.retryAfterSeconds()).isBetween(29, 30);
    assertThat(done(log.history(room, 10, null)).events())
        .extracting(StoredEvent::id)
        .containsExactly(second.id(), first.id());
  }

  @Test
  void aRefusedEventIsNotStoredAndTheBucketRefillsOverTime() {
    EventLog log = log();
    String room = room("limit:refill");
    Limit onePerSecond = new Limit(1, 1, Duration.ofSeconds(1));
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    done(log.append(limited(withNonce(room, "n-1"), onePerSecond)));

    Appended refused = done(log.append(limited(withNonce(room, "n-2"), onePerSecond)));
    AtomicReference<Appended> later = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              later.set(done(log.append(limited(withNonce(room, "n-2"), onePerSecond))));
              return !later.get().isRateLimited();
            });

    assertThat(refused.isRateLimited()).isTrue();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    // the refused append wrote nothing, not even its nonce: the later one is no duplicate
    assertThat(later.get().duplicate()).isFalse();
    assertThat(feed.awaitEvents(room, 2)).hasSize(2);
    assertThat(done(log.history(room, 10, null)).events()).hasSize(2);
  }

  @Test
  void aDuplicateNonceIsAnsweredWithoutSpendingAToken() {
    EventLog log = log();
    String room = room("limit:duplicate");
    Appended first = done(log.append(limited(withNonce(room, "n-1"), TWO_PER_MINUTE)));

    Appended replayed = done(log.append(limited(withNonce(room, "n-1"), TWO_PER_MINUTE)));
    Appended second = done(log.append(limited(withNonce(room, "n-2"), TWO_PER_MINUTE)));
    Appended replayedWhenEmpty = done(log.append(limited(withNonce(room, "n-1"), TWO_PER_MINUTE)));
    Appended third = done(log.append(limited(withNonce(room, "n-3"), TWO_PER_MINUTE)));

    assertThat(replayed.duplicate()).isTrue();
    assertThat(replayed.id()).isEqualTo(first.id());
    assertThat(second.isRejected()).isFalse();
    assertThat(second.duplicate()).isFalse();
    assertThat(replayedWhenEmpty.duplicate()).isTrue();
    assertThat(replayedWhenEmpty.isRejected()).isFalse();
    assertThat(third.isRateLimited()).isTrue();
  }

  @Test
  void appendAllRefusesOnlyTheEventsPastTheirRoomsLimitAndStoresTheOthers() {
    EventLog log = log();
    String room = room("limit:batch");
    String other = room("limit:batch-other");

    List<Appended> answers =
        done(
            log.appendAll(
                List.of(
                    limited(numbered(room, 1), TWO_PER_MINUTE),
                    limited(numbered(room, 2), TWO_PER_MINUTE),
                    limited(numbered(room, 3), TWO_PER_MINUTE),
                    limited(numbered(other, 1), TWO_PER_MINUTE),
                    numbered(room, 4))));

    assertThat(answers)
        .extracting(Appended::isRateLimited)
        .containsExactly(false, false, true, false, false);
    assertThat(answers.get(2).retryAfterSeconds()).isBetween(1, 60);
    assertThat(done(log.history(room, 10, null)).events())
        .extracting(StoredEvent::id)
        .containsExactly(answers.get(4).id(), answers.get(1).id(), answers.get(0).id());
    assertThat(done(log.history(other, 10, null)).events()).hasSize(1);
  }

  @Test
  void aRoomTokenTakenForAStreamComesFromTheBucketTheAppendsUse() {
    EventLog log = log();
    String room = room("limit:stream");

    RateDecision streamToken = done(log.takeRoomToken(room, TWO_PER_MINUTE));
    Appended stored = done(log.append(limited(numbered(room, 1), TWO_PER_MINUTE)));
    RateDecision spent = done(log.takeRoomToken(room, TWO_PER_MINUTE));
    Appended refused = done(log.append(limited(numbered(room, 2), TWO_PER_MINUTE)));

    assertThat(streamToken.allowed()).isTrue();
    assertThat(stored.isRejected()).isFalse();
    assertThat(spent.allowed()).isFalse();
    assertThat(spent.retryAfterSeconds()).isBetween(1, 60);
    assertThat(refused.isRateLimited()).isTrue();
  }
}
