package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;
import dev.relay.engine.stream.MessageLimits;
import dev.relay.engine.stream.OpenMessage;
import dev.relay.engine.stream.OpenMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Streamed messages (SPEC §12) on every {@link EventLog}: each delta updates its open message's
 * text in the same atomic step as its append, with the seq rules and bounds of docs/streaming.md,
 * and {@link EventLog#openMessages} reads the texts together with the position they belong to.
 */
public abstract class StreamedMessageContract extends RoomLimitContract {

  protected static EventDraft delta(String room, String id, long seq, String text) {
    return draft(
        room,
        "message.delta",
        "{\"messageId\":\""
            + id
            + "\",\"conversationId\":\"c1\",\"seq\":"
            + seq
            + ",\"delta\":\""
            + text
            + "\"}");
  }

  protected static EventDraft completed(String room, String id, String content) {
    return draft(
        room,
        "message.completed",
        "{\"messageId\":\"" + id + "\",\"conversationId\":\"c1\",\"content\":\"" + content + "\"}");
  }

  @Test
  void deltasAccumulateAndTheSnapshotIsTakenAtTheNewestId() {
    EventLog log = log();
    String room = room("conversation:s1");
    Recorder feed = feed(log);
    done(feed.feed.follow(room));
    done(log.append(delta(room, "m1", 1, "Hel")));
    Appended second = done(log.append(delta(room, "m1", 2, "lo")));
    done(log.append(delta(room, "m2", 1, "Hi")));
    Appended last = done(log.append(delta(room, "m1", 3, "!")));

    OpenMessages open = done(log.openMessages(room));

    assertThat(second.isRejected()).isFalse();
    assertThat(open.at()).isEqualTo(last.id());
    assertThat(open.messages())
        .containsExactlyInAnyOrder(
            new OpenMessage("m1", "c1", 3, "Hello!"), new OpenMessage("m2", "c1", 1, "Hi"));
    List<StoredEvent> live = feed.awaitEvents(room, 4);
    assertThat(live).allMatch(StoredEvent::volatileEvent);
    assertThat(live).extracting(StoredEvent::type).containsOnly("message.delta");
  }

  @Test
  void deltasAreNeitherReplayedNorInHistoryButTheCompletionIs() {
    EventLog log = log();
    String room = room("conversation:s2");
    Recorder feed = feed(log);
    EventId start = done(feed.feed.follow(room));
    Appended first = done(log.append(delta(room, "m1", 1, "a")));
    done(log.append(delta(room, "m1", 2, "b")));
    Appended end = done(log.append(completed(room, "m1", "ab")));

    Replay replay = done(log.replay(room, start, 100));
    Replay fromDelta = done(log.replay(room, first.id(), 100));
    History history = done(log.history(room, 10, null));

    assertThat(replay.events()).extracting(StoredEvent::id).containsExactly(end.id());
    assertThat(fromDelta.recovered()).isTrue();
    assertThat(fromDelta.events()).extracting(StoredEvent::id).containsExactly(end.id());
    assertThat(history.events()).extracting(StoredEvent::id).containsExactly(end.id());
    assertThat(done(log.openMessages(room)).messages()).isEmpty();
    assertThat(feed.awaitEvents(room, 3).get(2).volatileEvent()).isFalse();
  }

  @Test
  void aRepeatedSeqIsADuplicateAndAGapIsRefused() {
    EventLog log = log();
    String room = room("conversation:s3");
    done(log.append(delta(room, "m1", 1, "a")));
    Appended two = done(log.append(delta(room, "m1", 2, "b")));

    Appended again = done(log.append(delta(room, "m1", 2, "b")));
    Appended older = done(log.append(delta(room, "m1", 1, "a")));
    Appended gap = done(log.append(delta(room, "m1", 4, "d")));
    Appended notFirst = done(log.append(delta(room, "m2", 2, "x")));

    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(two.id());
    assertThat(older.duplicate()).isTrue();
    assertThat(gap.rejected()).isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
    assertThat(gap.id()).isNull();
    assertThat(notFirst.rejected()).isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
    OpenMessages open = done(log.openMessages(room));
    assertThat(open.messages()).containsExactly(new OpenMessage("m1", "c1", 2, "ab"));
    assertThat(open.at()).isEqualTo(two.id());
  }

  @Test
  void aDeltaAfterTheCompletionIsRefusedAndAnotherConversationIsOutOfSequence() {
    EventLog log = log();
    String room = room("conversation:s4");
    done(log.append(delta(room, "m1", 1, "a")));
    done(log.append(completed(room, "m1", "a")));
    Appended late = done(log.append(delta(room, "m1", 2, "b")));
    Appended restart = done(log.append(delta(room, "m1", 1, "b")));
    done(log.append(delta(room, "m2", 1, "a")));
    Appended other =
        done(
            log.append(
                draft(
                    room,
                    "message.delta",
                    "{\"messageId\":\"m2\",\"conversationId\":\"c2\",\"seq\":2,\"delta\":\"x\"}")));

    assertThat(late.rejected()).isEqualTo(ErrorCodes.MESSAGE_CLOSED);
    assertThat(restart.rejected()).isEqualTo(ErrorCodes.MESSAGE_CLOSED);
    assertThat(other.rejected()).isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
  }

  @Test
  void theTextOfAMessageIsCappedAndTheCapLeavesItUnchanged() {
    EventLog log = log();
    String room = room("conversation:s5");
    String piece = "x".repeat(4096);
    int fits = MessageLimits.DEFAULTS.maxContentBytes() / 4096;
    for (int seq = 1; seq <= fits; seq++) {
      assertThat(done(log.append(delta(room, "m1", seq, piece))).isRejected()).isFalse();
    }

    Appended over = done(log.append(delta(room, "m1", fits + 1, "y")));

    assertThat(over.rejected()).isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
    OpenMessage open = done(log.openMessages(room)).messages().get(0);
    assertThat(open.seq()).isEqualTo(fits);
    assertThat(open.content()).hasSize(MessageLimits.DEFAULTS.maxContentBytes());
  }

  @Test
  void aRoomHasAtMostTheOpenMessagesBoundAndACompletionFreesOne() {
    EventLog log = log();
    String room = room("conversation:s6");
    int max = MessageLimits.DEFAULTS.maxOpenMessages();
    List<EventDraft> firsts = new ArrayList<>();
    IntStream.range(0, max).forEach(i -> firsts.add(delta(room, "m" + i, 1, "a")));
    assertThat(done(log.appendAll(firsts))).noneMatch(Appended::isRejected);

    Appended beyond = done(log.append(delta(room, "extra", 1, "a")));
    done(log.append(completed(room, "m0", "a")));
    Appended afterCompletion = done(log.append(delta(room, "extra", 1, "a")));

    assertThat(beyond.rejected()).isEqualTo(ErrorCodes.TOO_MANY_OPEN_MESSAGES);
    assertThat(afterCompletion.isRejected()).isFalse();
    assertThat(done(log.openMessages(room)).messages()).hasSize(max);
  }

  @Test
  void concurrentDeltasOfOneMessageApplyEachSeqOnce() {
    EventLog log = log();
    String room = room("conversation:s7");
    done(log.append(delta(room, "m1", 1, "0")));
    List<CompletableFuture<Appended>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(log.append(delta(room, "m1", 2, "1")).toCompletableFuture());
    }
    CompletableFuture.allOf(racing.toArray(CompletableFuture[]::new)).join();

    assertThat(racing.stream().map(CompletableFuture::join).filter(a -> !a.duplicate())).hasSize(1);
    assertThat(done(log.openMessages(room)).messages())
        .containsExactly(new OpenMessage("m1", "c1", 2, "01"));
  }

  @Test
  void aRoomWithoutMessagesHasNoneOpen() {
    EventLog log = log();
    String room = room("conversation:s8");
    assertThat(done(log.openMessages(room))).isEqualTo(OpenMessages.none());
    done(log.append(draft(room, "typing.started", "{\"conversationId\":\"c1\"}")));
    OpenMessages open = done(log.openMessages(room));
    assertThat(open.messages()).isEmpty();
    assertThat(open.at()).isNotNull();
  }
}
