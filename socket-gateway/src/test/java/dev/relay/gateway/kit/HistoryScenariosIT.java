package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * History on subscribe (SPEC §11), each scenario on both protocols: {@code "history": N} answers
 * with the count sent, then the room's last N stored non-volatile events oldest first, then live
 * ones with no gap and no duplicate; {@code since} wins when it can be recovered; on a room the
 * connection already receives only what it has not received; values out of 1–100 are refused; a
 * second gateway on the same Redis serves the same history.
 */
@MicronautTest
class HistoryScenariosIT extends KitFixture {

  private static final Duration QUIET = Duration.ofMillis(300);

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSubscribeWithHistoryGetsTheLastStoredEventsOldestFirstThenLiveOnes(Protocol protocol) {
    String team = "team:" + unique("t");
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stored.add(publishVote(team));
      gw.publish(team, "typing.started", "{}");
    }
    try (ProtocolClient client =
        connect(protocol, token("acct-1", unique("s"), rooms(), scopes()))) {
      Answer answer = client.subscribe(team, null, null, 3);

      assertThat(answer.ok()).isTrue();
      assertThat(answer.recovered()).isFalse();
      assertThat(answer.history()).isEqualTo(3);
      assertThat(ids(client, 3)).isEqualTo(stored.subList(2, 5));
      client.expectNoEvent(QUIET);
      String live = publishVote(team);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(live);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void historyOfARoomWithoutEventsIsZeroAndWithoutHistoryTheAnswerHasNoCount(Protocol protocol) {
    try (ProtocolClient client =
        connect(protocol, token("acct-1", unique("s"), rooms(), scopes()))) {
      Answer empty = client.subscribe("team:" + unique("t"), null, null, 100);
      Answer plain = client.subscribe("team:" + unique("t"));

      assertThat(empty.history()).isZero();
      assertThat(plain.ok()).isTrue();
      assertThat(plain.body().has("history")).isFalse();
      client.expectNoEvent(QUIET);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void historyOutsideOneToAHundredIsAnInvalidMessage(Protocol protocol) {
    String team = "team:" + unique("t");
    publishVote(team);
    try (ProtocolClient client =
        connect(protocol, token("acct-1", unique("s"), rooms(), scopes()))) {
      for (Object hostile :
          List.of(0, -1, 101, Integer.MAX_VALUE, 1L << 40, 2.5, "5", true, List.of(5), Map.of())) {
        assertThat(client.subscribe(team, null, null, hostile).code())
            .as("history %s", hostile)
            .isEqualTo("invalid_message");
      }
      client.expectNoEvent(QUIET);
      assertThat(client.subscribe(team, null, null, 1).history()).as("still open").isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void sinceWinsWhenItCanBeRecoveredOtherwiseTheLastEventsAreSent(Protocol protocol) {
    String team = "team:" + unique("t");
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stored.add(publishVote(team));
    }
    String token = token("acct-1", unique("s"), rooms(), scopes());
    try (ProtocolClient recovering = connect(protocol, token);
        ProtocolClient lost = connect(protocol, token)) {
      Answer recovered = recovering.subscribe(team, null, stored.get(0), 2);
      assertThat(recovered.recovered()).isTrue();
      assertThat(recovered.history()).isZero();
      assertThat(ids(recovering, 3)).isEqualTo(stored.subList(1, 4));
      recovering.expectNoEvent(QUIET);

      String otherEpoch = stored.get(0).substring(0, stored.get(0).indexOf('.')) + ".zz0zz0";
      Answer fallback = lost.subscribe(team, null, otherEpoch, 2);
      assertThat(fallback.recovered()).isFalse();
      assertThat(fallback.history()).isEqualTo(2);
      assertThat(ids(lost, 2)).isEqualTo(stored.subList(2, 4));
      lost.expectNoEvent(QUIET);
    }
  }

  /** The session room is joined from the token: what arrived live is not sent again. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void onARoomAlreadyReceivedOnlyWhatDidNotArriveLiveIsSentBeforeLaterEvents(Protocol protocol) {
    String session = unique("s");
    String room = "session:" + session;
    String before1 = publishVote(room);
    String before2 = publishVote(room);
    try (ProtocolClient client = connect(protocol, token("acct-1", session, rooms(), scopes()))) {
      String live = publishVote(room);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(live);

      Answer answer = client.subscribe(room, null, null, 3);

      assertThat(answer.history()).isEqualTo(2);
      assertThat(ids(client, 2)).containsExactly(before1, before2);
      client.expectNoEvent(QUIET);
      String later = publishVote(room);
      assertThat(client.expectEvent().get("id").asText()).isEqualTo(later);
    }
  }

  /**
   * Events published while the subscribe reads its history: the client gets a contiguous run of the
   * room's events ending with the newest — history, then live — none twice, none missing.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void eventsPublishedDuringTheHistoryReadArriveOnceWithNoGap(Protocol protocol) {
    String team = "team:" + unique("t");
    List<String> all = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 20; i++) {
      all.add(publishVote(team));
    }
    try (ProtocolClient client =
        connect(protocol, token("acct-1", unique("s"), rooms(), scopes()))) {
      CompletableFuture<Void> publishing =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 40; i++) {
                  all.add(publishVote(team));
                }
              });
      Answer answer = client.subscribe(team, null, null, 10);
      publishing.join();
      String newest = all.get(all.size() - 1);
      List<String> got = new ArrayList<>();
      while (got.isEmpty() || !got.get(got.size() - 1).equals(newest)) {
        got.add(client.expectEvent().get("id").asText());
      }
      client.expectNoEvent(QUIET);

      assertThat(answer.history()).isEqualTo(10);
      int first = all.indexOf(got.get(0));
      assertThat(first).as("first event %s is one of the room's", got.get(0)).isNotNegative();
      assertThat(got).isEqualTo(all.subList(first, all.size()));
      assertThat(got.size()).isGreaterThanOrEqualTo(10);
    }
  }

  /**
   * A second gateway on the same Redis serves the same history: what a client on the first one
   * received live, a late joiner on the second gets as history, then both get the next event.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aLateJoinerOnAnotherGatewayGetsWhatTheFirstReceivedLive(Protocol protocol) {
    String team = "team:" + unique("t");
    Map<String, Object> properties = new HashMap<>(getProperties());
    properties.put("micronaut.server.port", "-1");
    try (ProtocolClient early = connect(protocol, token("acct-1", unique("s"), rooms(), scopes()));
        EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, properties)) {
      assertThat(early.subscribe(team).ok()).isTrue();
      List<String> live = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        live.add(publishVote(team));
        assertThat(early.expectEvent().get("id").asText()).isEqualTo(live.get(i));
      }
      GatewayFixture elsewhere = new GatewayFixture(other.getURI(), log);
      try (ProtocolClient late =
          protocol.connect(elsewhere, token("acct-2", unique("s"), rooms(), scopes()))) {
        Answer answer = late.subscribe(team, null, null, 10);

        assertThat(answer.history()).isEqualTo(3);
        assertThat(ids(late, 3)).isEqualTo(live);
        String next = publishVote(team);
        assertThat(late.expectEvent().get("id").asText()).isEqualTo(next);
        assertThat(early.expectEvent().get("id").asText()).isEqualTo(next);
        late.expectNoEvent(QUIET);
      }
    }
  }

  private static List<String> rooms() {
    return List.of("team:*");
  }

  private static List<String> scopes() {
    return List.of();
  }

  private static List<String> ids(ProtocolClient client, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode event = client.expectEvent();
      ids.add(event.get("id").asText());
    }
    return ids;
  }
}
