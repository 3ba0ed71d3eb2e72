package dev.relay.gateway.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a client makes of one streamed message (SPEC §12): a {@code message.snapshot} sets the text
 * and seq, each {@code message.delta} must be the next seq and is appended, {@code
 * message.completed} ends it. A missing or doubled piece fails the test at once.
 */
final class StreamedText {

  private final String messageId;
  private final StringBuilder text = new StringBuilder();
  private long seq;
  private boolean completed;
  private int snapshots;
  private int deltas;

  StreamedText(String messageId) {
    this.messageId = messageId;
  }

  /** Applies one event envelope of the message; other messages' events fail the test. */
  StreamedText apply(JsonNode envelope) {
    JsonNode payload = envelope.get("payload");
    assertThat(payload.path("messageId").asText()).as(envelope.toString()).isEqualTo(messageId);
    assertThat(completed).as("event after completion: " + envelope).isFalse();
    switch (envelope.get("type").asText()) {
      case "message.snapshot" -> {
        snapshots++;
        text.setLength(0);
        text.append(payload.get("content").asText());
        seq = payload.get("seq").asLong();
      }
      case "message.delta" -> {
        deltas++;
        assertThat(payload.get("seq").asLong()).as("seq of " + envelope).isEqualTo(seq + 1);
        seq++;
        text.append(payload.get("delta").asText());
      }
      case "message.completed" -> {
        completed = true;
        assertThat(payload.get("content").asText()).isEqualTo(text.toString());
      }
      default -> throw new AssertionError("not a streamed-message event: " + envelope);
    }
    return this;
  }

  /** Applies the next {@code count} events of {@code client}. */
  StreamedText read(ProtocolClient client, int count) {
    for (int i = 0; i < count; i++) {
      apply(client.expectEvent());
    }
    return this;
  }

  String text() {
    return text.toString();
  }

  long seq() {
    return seq;
  }

  int snapshots() {
    return snapshots;
  }

  int deltas() {
    return deltas;
  }

  boolean completed() {
    return completed;
  }
}
