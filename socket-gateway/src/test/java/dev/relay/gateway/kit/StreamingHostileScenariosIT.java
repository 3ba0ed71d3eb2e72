package dev.relay.gateway.kit;

import static dev.relay.gateway.it.GatewayFixture.unique;
import static dev.relay.gateway.kit.StreamingScenariosIT.deltaJson;
import static dev.relay.gateway.kit.StreamingScenariosIT.deltaMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.stream.MessageLimits;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client-sent deltas (SPEC §12) on both protocols: the per-connection limit of 50 deltas/s, and
 * hostile deltas (malformed, oversized, out of sequence, after completion, beyond the text and
 * open-message bounds) each refused with its code, the connection kept and nothing delivered.
 */
@MicronautTest
class StreamingHostileScenariosIT extends KitFixture {

  ProtocolClient writer(Protocol protocol) {
    return connect(
        protocol, token("bot", unique("s"), List.of("conversation:*"), List.of("publish")));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aConnectionSendsAtMostFiftyDeltasASecond(Protocol protocol) {
    String room = "conversation:" + unique("c");
    try (ProtocolClient client = writer(protocol)) {
      assertThat(client.subscribe(room).ok()).isTrue();
      int seq = 1;
      int accepted = 0;
      String refusal = null;
      for (int i = 0; i < 80 && refusal == null; i++) {
        Answer answer = client.publish(room, "message.delta", deltaMap("m1", seq));
        if (answer.ok()) {
          accepted++;
          seq++;
        } else {
          refusal = answer.code();
        }
      }

      assertThat(refusal).isEqualTo(ErrorCodes.RATE_LIMITED);
      assertThat(accepted).isBetween(50, 79);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void malformedDeltasAreInvalidMessagesAndNothingIsDelivered(Protocol protocol) {
    String room = "conversation:" + unique("c");
    try (ProtocolClient client = writer(protocol)) {
      assertThat(client.subscribe(room).ok()).isTrue();
      List<Map<String, Object>> hostile =
          List.of(
              Map.of("conversationId", "c1", "seq", 1, "delta", "x"),
              Map.of("messageId", "m1", "seq", 1, "delta", "x"),
              Map.of("messageId", "m1", "conversationId", "c1", "delta", "x"),
              Map.of("messageId", "m1", "conversationId", "c1", "seq", 1),
              with(deltaMap("m1", 1), "seq", 0),
              with(deltaMap("m1", 1), "seq", -3),
              with(deltaMap("m1", 1), "seq", "1"),
              with(deltaMap("m1", 1), "seq", 1.5),
              with(deltaMap("m1", 1), "delta", ""),
              with(deltaMap("m1", 1), "delta", 42),
              with(deltaMap("m1", 1), "delta", "x".repeat(4097)),
              with(deltaMap("m1", 1), "messageId", "x".repeat(300)));
      for (Map<String, Object> payload : hostile) {
        assertThat(client.publish(room, "message.delta", payload).code())
            .as(payload.toString().substring(0, Math.min(80, payload.toString().length())))
            .isEqualTo(ErrorCodes.INVALID_MESSAGE);
      }
      Map<String, Object> snapshot =
          Map.of("messageId", "m1", "conversationId", "c1", "seq", 1, "content", "x");
      assertThat(client.publish(room, "message.snapshot", snapshot).code())
          .isEqualTo(ErrorCodes.INVALID_MESSAGE);
      client.expectNoEvent(StreamingScenariosIT.QUIET);
      assertThat(client.publish(room, "message.delta", deltaMap("m1", 1)).ok()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void deltasOutOfSequenceOrAfterTheCompletionAreRefusedWithTheirCode(Protocol protocol) {
    String room = "conversation:" + unique("c");
    try (ProtocolClient client = writer(protocol)) {
      assertThat(client.subscribe(room).ok()).isTrue();
      assertThat(client.publish(room, "message.delta", deltaMap("m1", 2)).code())
          .isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
      Answer first = client.publish(room, "message.delta", deltaMap("m1", 1));
      Answer again = client.publish(room, "message.delta", deltaMap("m1", 1));
      assertThat(again.body().path("id").asText()).isEqualTo(first.body().path("id").asText());
      assertThat(client.publish(room, "message.delta", deltaMap("m1", 3)).code())
          .isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
      assertThat(
              client
                  .publish(room, "message.delta", with(deltaMap("m1", 2), "conversationId", "c2"))
                  .code())
          .isEqualTo(ErrorCodes.OUT_OF_SEQUENCE);
      Map<String, Object> end = Map.of("messageId", "m1", "conversationId", "c1", "content", "w1 ");
      assertThat(client.publish(room, "message.completed", end).ok()).isTrue();
      assertThat(client.publish(room, "message.delta", deltaMap("m1", 2)).code())
          .isEqualTo(ErrorCodes.MESSAGE_CLOSED);

      new StreamedText("m1").read(client, 2);
      client.expectNoEvent(StreamingScenariosIT.QUIET);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theTextCapAndTheOpenMessagesCapAreRefusedWithTheirCode(Protocol protocol) {
    String room = "conversation:" + unique("c");
    String big = "x".repeat(4096);
    int fits = MessageLimits.DEFAULTS.maxContentBytes() / 4096;
    for (int seq = 1; seq <= fits; seq++) {
      gw.publish(
          room,
          "message.delta",
          "{\"messageId\":\"big\",\"conversationId\":\"c1\",\"seq\":"
              + seq
              + ",\"delta\":\""
              + big
              + "\"}");
    }
    for (int i = 1; i < MessageLimits.DEFAULTS.maxOpenMessages(); i++) {
      gw.publish(room, "message.delta", deltaJson("open" + i, 1));
    }
    try (ProtocolClient client = writer(protocol)) {
      assertThat(client.subscribe(room).ok()).isTrue();
      for (int i = 0; i < MessageLimits.DEFAULTS.maxOpenMessages(); i++) {
        assertThat(client.expectEvent().get("type").asText()).isEqualTo("message.snapshot");
      }

      assertThat(client.publish(room, "message.delta", deltaMap("big", fits + 1)).code())
          .isEqualTo(ErrorCodes.MESSAGE_TOO_LARGE);
      assertThat(client.publish(room, "message.delta", deltaMap("one-more", 1)).code())
          .isEqualTo(ErrorCodes.TOO_MANY_OPEN_MESSAGES);
      client.expectNoEvent(StreamingScenariosIT.QUIET);
    }
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(base);
    copy.put(key, value);
    return copy;
  }
}
