package dev.relay.publish.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.schema.EventSchemaRegistry;
import dev.relay.engine.EventDraft;
import dev.relay.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventParserTest {

  private final EventParser parser =
      new EventParser(new RegistryEventSchemas(EventSchemaRegistry.loadDefault()), 1024, false);

  private EventDraft parse(String json, String headerNonce, String traceparent) {
    JsonNode node = parser.readObject(json.getBytes(StandardCharsets.UTF_8));
    return parser.parse(node, headerNonce, traceparent);
  }

  private ProblemException rejection(String json) {
    try {
      parse(json, null, null);
    } catch (ProblemException e) {
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void buildsTheDraftFromAValidRequest() {
    EventDraft draft =
        parse(
            "{\"sessionId\":\"abc-123\",\"event\":\"vote.cast\",\"payload\":{\"issueKey\":\"S-1\","
                + "\"value\":5,\"participantId\":\"p\"},\"timestamp\":\"2024-05-01T12:00:00+02:00\"}",
            "key-1",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(draft.room()).isEqualTo("session:abc-123");
    assertThat(draft.type()).isEqualTo("vote.cast");
    assertThat(draft.payloadJson())
        .isEqualTo("{\"issueKey\":\"S-1\",\"value\":5,\"participantId\":\"p\"}");
    assertThat(draft.nonce()).isEqualTo("key-1");
    assertThat(draft.issuedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(draft.traceparent()).startsWith("00-4bf9");
    assertThat(draft.actor()).isNull();
  }

  @Test
  void keepsNumbersExactAndDropsMalformedTraceparent() {
    EventDraft draft =
        parse(
            "{\"room\":\"team:42\",\"event\":\"x.y\",\"payload\":{\"a\":0.1000000000000000000001,"
                + "\"b\":1e400}}",
            null,
            "not-a-traceparent");
    assertThat(draft.payloadJson()).contains("0.1000000000000000000001").contains("1E+400");
    assertThat(draft.traceparent()).isNull();
  }

  @Test
  void missingPayloadIsAnEmptyObject() {
    assertThat(parse("{\"room\":\"team:1\",\"event\":\"x.y\"}", null, null).payloadJson())
        .isEqualTo("{}");
  }

  @Test
  void schemaViolationNamesThePayloadField() {
    ProblemException e =
        rejection("{\"sessionId\":\"a\",\"event\":\"vote.cast\",\"payload\":{\"value\":\"5\"}}");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.field()).startsWith("payload.");
    assertThat(e.getMessage()).contains("is required");
  }

  @Test
  void payloadOverTheLimitIs413() {
    ProblemException e =
        rejection(
            "{\"room\":\"team:1\",\"event\":\"x.y\",\"payload\":{\"s\":\""
                + "é".repeat(600)
                + "\"}}");
    assertThat(e.status()).isEqualTo(413);
    assertThat(e.code()).isEqualTo("payload_too_large");
  }

  @Test
  void strictModeRefusesUnknownTypes() {
    EventParser strict = new EventParser(EventSchemas.none(), 1024, true);
    JsonNode node =
        strict.readObject(
            "{\"room\":\"team:1\",\"event\":\"x.y\"}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> strict.parse(node, null, null))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.field()).isEqualTo("event"));
  }

  @Test
  void duplicateKeysAndDeepNestingAreRefused() {
    assertThat(rejection("{\"room\":\"team:1\",\"room\":\"team:2\",\"event\":\"x.y\"}").field())
        .isEqualTo("body");
    String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
    assertThat(
            rejection("{\"room\":\"team:1\",\"event\":\"x.y\",\"payload\":" + deep + "}").field())
        .isEqualTo("body");
  }

  @Test
  void fieldOfTakesThePathAtTheStartOfAMessage() {
    assertThat(EventParser.fieldOf("payload.issueKey is required")).isEqualTo("payload.issueKey");
    assertThat(EventParser.fieldOf("payload must be a JSON object")).isEqualTo("payload");
    assertThat(EventParser.fieldOf("something else")).isEqualTo("payload");
  }

  @Test
  void detectsUnpairedSurrogates() {
    assertThat(EventParser.hasUnpairedSurrogate("ok 😀")).isFalse();
    assertThat(EventParser.hasUnpairedSurrogate("\ud83d")).isTrue();
    assertThat(EventParser.hasUnpairedSurrogate("\ude00x")).isTrue();
    assertThat(EventParser.hasUnpairedSurrogate("x\ud83dy")).isTrue();
  }

  @Test
  void readsAsciiAndUtf8BodiesAlikeAndRefusesInvalidUtf8() {
    String json = "{\"sessionId\":\"s\",\"event\":\"note\",\"payload\":{\"t\":\"%s\"}}";
    JsonNode ascii = parser.readObject(json.formatted("plain").getBytes(StandardCharsets.UTF_8));
    JsonNode utf8 = parser.readObject(json.formatted("é😀").getBytes(StandardCharsets.UTF_8));
    assertThat(ascii.get("payload").get("t").asText()).isEqualTo("plain");
    assertThat(utf8.get("payload").get("t").asText()).isEqualTo("é😀");

    byte[] invalid = json.formatted("xx").getBytes(StandardCharsets.UTF_8);
    invalid[invalid.length - 5] = (byte) 0xC3; // a lead byte followed by an ASCII letter
    assertThatThrownBy(() -> parser.readObject(invalid))
        .isInstanceOf(ProblemException.class)
        .hasMessageContaining("not valid UTF-8");
  }
}
