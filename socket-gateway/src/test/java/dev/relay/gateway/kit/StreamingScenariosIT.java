package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.gateway.it.GatewayFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streamed messages (SPEC §12) on both protocols: deltas live in seq order, volatile (never in
 * history, never replayed one by one), one {@code message.snapshot} per open message on a late
 * subscribe, a subscribe with history and a recovery mid-stream, across two gateways; the final
 * text is always exact ({@link StreamedText} fails on any missing or doubled piece).
 */
@MicronautTest
class StreamingScenariosIT extends KitFixture {

  static final Duration QUIET = Duration.ofMillis(300);

  /** Publishes delta {@code seq} of {@code message} as publish-api would. */
  String delta(String room, String message, int seq) {
    return gw.publish(room, "message.delta", deltaJson(message, seq));
  }

  static String deltaJson(String message, int seq) {
    return "{\"messageId\":\""
        + message
        + "\",\"conversationId\":\"c1\",\"seq\":"
        + seq
        + ",\"delta\":\""
        + piece(seq)
        + "\"}";
  }

  static String piece(int seq) {
    return "w" + seq + " ";
  }

  static String textUpTo(int seq) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= seq; i++) {
      text.append(piece(i));
    }
    return text.toString();
  }

  String complete(String room, String message, int seq) {
    return gw.publish(
        room,
        "message.completed",
        "{\"messageId\":\""
            + message
            + "\",\"conversationId\":\"c1\",\"content\":\""
            + textUpTo(seq)
            + "\"}");
  }

  ProtocolClient subscriber(Protocol protocol) {
    return connect(protocol, token("acct-1", unique("s"), List.of("conversation:*"), List.of()));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void deltasArriveLiveInSeqOrderThenTheCompletion(Protocol protocol) {
    String room = "conversation:" + unique("c");
    try (ProtocolClient client = subscriber(protocol)) {
      assertThat(client.subscribe(room).ok()).isTrue();
      client.expectNoEvent(QUIET);
      for (int seq = 1; seq <= 30; seq++) {
        delta(room, "m1", seq);
      }
      complete(room, "m1", 30);

      StreamedText text = new StreamedText("m1").read(client, 31);

      assertThat(text.completed()).isTrue();
      assertThat(text.deltas()).isEqualTo(30);
      assertThat(text.snapshots()).isZero();
      assertThat(text.text()).isEqualTo(textUpTo(30));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aLateSubscriberGetsOneSnapshotThenOnlyTheLaterDeltas(Protocol protocol) {
    String room = "conversation:" + unique("c");
    for (int seq = 1; seq <= 5; seq++) {
      delta(room, "m1", seq);
    }
    try (ProtocolClient client = subscriber(protocol)) {
      Answer answer = client.subscribe(room);
      JsonNode snapshot = client.expectEvent();

      assertThat(answer.ok()).isTrue();
      assertThat(snapshot.get("type").asText()).isEqualTo("message.snapshot");
      assertThat(snapshot.get("room").asText()).isEqualTo(room);
      assertThat(snapshot.get("payload").get("conversationId").asText()).isEqualTo("c1");
      StreamedText text = new StreamedText("m1").apply(snapshot);
      assertThat(text.seq()).isEqualTo(5);
      assertThat(text.text()).isEqualTo(textUpTo(5));
      for (int seq = 6; seq <= 8; seq++) {
        delta(room, "m1", seq);
      }
      complete(room, "m1", 8);
      text.read(client, 4);
      assertThat(text.completed()).isTrue();
      client.expectNoEvent(QUIET);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSubscribeWithHistoryGetsTheStoredEventsThenTheSnapshotButNoDelta(Protocol protocol) {
    String room = "conversation:" + unique("c");
    delta(room, "m0", 1);
    String done = complete(room, "m0", 1);
    for (int seq = 1; seq <= 4; seq++) {
      delta(room, "m1", seq);
    }
    try (ProtocolClient client = subscriber(protocol)) {
      Answer answer = client.subscribe(room, null, null, 10);
      JsonNode history = client.expectEvent();
      JsonNode snapshot = client.expectEvent();

      assertThat(answer.history()).isEqualTo(1);
      assertThat(history.get("id").asText()).isEqualTo(done);
      assertThat(history.get("type").asText()).isEqualTo("message.completed");
      StreamedText text = new StreamedText("m1").apply(snapshot);
      assertThat(text.text()).isEqualTo(textUpTo(4));
      delta(room, "m1", 5);
      text.read(client, 1);
      assertThat(text.text()).isEqualTo(textUpTo(5));
      client.expectNoEvent(QUIET);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aClientRecoveringMidStreamGetsASnapshotNotTheMissedDeltas(Protocol protocol) {
    String room = "conversation:" + unique("c");
    String token = token("acct-1", unique("s"), List.of("conversation:*"), List.of());
    ProtocolClient client = connect(protocol, token);
    assertThat(client.subscribe(room).ok()).isTrue();
    for (int seq = 1; seq <= 3; seq++) {
      delta(room, "m1", seq);
    }
    StreamedText before = new StreamedText("m1").read(client, 3);
    client.drop();
    for (int seq = 4; seq <= 9; seq++) {
      delta(room, "m1", seq);
    }

    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isTrue();
      JsonNode snapshot = again.expectEvent();
      assertThat(snapshot.get("type").asText()).isEqualTo("message.snapshot");
      StreamedText text = new StreamedText("m1").apply(snapshot);
      assertThat(text.text()).startsWith(before.text()).isEqualTo(textUpTo(9));
      delta(room, "m1", 10);
      complete(room, "m1", 10);
      text.read(again, 2);
      assertThat(text.completed()).isTrue();
      again.expectNoEvent(QUIET);
    }
  }

  /** A stream that ended while the client was away: the completion is replayed, no delta is. */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRecoveryAfterTheStreamEndedReplaysOnlyTheCompletion(Protocol protocol) {
    String room = "conversation:" + unique("c");
    String token = token("acct-1", unique("s"), List.of("conversation:*"), List.of());
    ProtocolClient client = connect(protocol, token);
    assertThat(client.subscribe(room).ok()).isTrue();
    delta(room, "m1", 1);
    new StreamedText("m1").read(client, 1);
    client.drop();
    for (int seq = 2; seq <= 6; seq++) {
      delta(room, "m1", seq);
    }
    String done = complete(room, "m1", 6);

    ProtocolClient.Resumed resumed = client.resume(token);
    try (ProtocolClient again = resumed.client()) {
      assertThat(resumed.recovered()).isTrue();
      JsonNode completed = again.expectEvent();
      assertThat(completed.get("id").asText()).isEqualTo(done);
      assertThat(completed.get("payload").get("content").asText()).isEqualTo(textUpTo(6));
      again.expectNoEvent(QUIET);
    }
  }

  /**
   * Two gateways on one Redis: a client with scope {@code publish} streams through the first, a
   * subscriber that joins mid-stream on the second gets the snapshot, then the rest live.
   */
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aClientStreamsOnOneGatewayAndASubscriberJoinsOnAnother(Protocol protocol) {
    String room = "conversation:" + unique("c");
    Map<String, Object> properties = new HashMap<>(getProperties());
    properties.put("micronaut.server.port", "-1");
    try (ProtocolClient writer =
            connect(
                protocol,
                token("bot", unique("s"), List.of("conversation:*"), List.of("publish")));
        EmbeddedServer other = ApplicationContext.run(EmbeddedServer.class, properties)) {
      assertThat(writer.subscribe(room).ok()).isTrue();
      for (int seq = 1; seq <= 4; seq++) {
        assertThat(writer.publish(room, "message.delta", deltaMap("m1", seq)).ok()).isTrue();
      }
      GatewayFixture elsewhere = new GatewayFixture(other.getURI(), log);
      try (ProtocolClient reader =
          protocol.connect(
              elsewhere, token("acct-2", unique("s"), List.of("conversation:*"), List.of()))) {
        assertThat(reader.subscribe(room).ok()).isTrue();
        StreamedText text = new StreamedText("m1").read(reader, 1);
        assertThat(text.snapshots()).isEqualTo(1);
        for (int seq = 5; seq <= 12; seq++) {
          assertThat(writer.publish(room, "message.delta", deltaMap("m1", seq)).ok()).isTrue();
        }
        Map<String, Object> end =
            Map.of("messageId", "m1", "conversationId", "c1", "content", textUpTo(12));
        assertThat(writer.publish(room, "message.completed", end).ok()).isTrue();
        text.read(reader, 9);
        assertThat(text.completed()).isTrue();
        assertThat(text.text()).isEqualTo(textUpTo(12));
        StreamedText mine = new StreamedText("m1").read(writer, 13);
        assertThat(mine.text()).isEqualTo(textUpTo(12));
      }
    }
  }

  static Map<String, Object> deltaMap(String message, int seq) {
    return Map.of("messageId", message, "conversationId", "c1", "seq", seq, "delta", piece(seq));
  }
}
