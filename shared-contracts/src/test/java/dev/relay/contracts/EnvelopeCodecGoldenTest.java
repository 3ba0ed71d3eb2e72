package dev.relay.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope's wire form, pinned byte for byte by files under {@code golden/}. */
class EnvelopeCodecGoldenTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of(
            "golden/envelope-full.json",
            new Envelope(
                "1732326000000-0.k3f9ab",
                "session:abc-123",
                "vote.cast",
                object("{\"issueKey\":\"SCRUM-1\",\"value\":\"5\",\"participantId\":\"acct-123\"}"),
                Instant.parse("2024-05-01T10:00:00Z"),
                Instant.parse("2024-05-01T10:00:00.123Z"),
                "6f1c2a",
                "acct-123")),
        Arguments.of(
            "golden/envelope-minimal.json",
            new Envelope(
                "1732326000000-7.k3f9ab",
                "team:42",
                "task.updated",
                object(
                    "{\"taskId\":\"t-9\",\"teamId\":\"42\",\"fields\":{\"title\":\"Ship it\","
                        + "\"points\":3,\"done\":false,\"tags\":[\"a\",\"b\"],\"owner\":null}}"),
                null,
                Instant.parse("2024-05-01T10:00:01Z"),
                null,
                null)),
        Arguments.of(
            "golden/envelope-unicode.json",
            new Envelope(
                "1732326000001-0.k3f9ab",
                "conversation:7",
                "message.created",
                MAPPER
                    .createObjectNode()
                    .put("messageId", "m-1")
                    .put("conversationId", "7")
                    .put("content", "Ünïcødé 😀 \"quoted\"\n\ttab \\ slash </script>"),
                null,
                Instant.parse("2024-05-01T10:00:02.000000001Z"),
                "nonce-é",
                null)));
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void encodesToTheGoldenBytes(String golden, Envelope envelope) throws IOException {
    assertThat(EnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8))
        .isEqualTo(bytes(golden));
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void decodesTheGoldenToTheRecord(String golden, Envelope envelope) throws IOException {
    assertThat(EnvelopeCodec.decode(new String(bytes(golden), StandardCharsets.UTF_8)))
        .isEqualTo(envelope);
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void theStoredFormCompletedWithTheIdIsTheFullEnvelope(String golden, Envelope e)
      throws IOException {
    String stored =
        EnvelopeCodec.encodeWithoutId(
            e.room(),
            e.type(),
            e.payload().toString(),
            e.issuedAt(),
            e.publishedAt(),
            e.nonce(),
            e.actor());
    assertThat(EnvelopeCodec.withId(stored, e.id()))
        .isEqualTo(new String(bytes(golden), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("goldens")
  void everyGoldenMatchesThePublishedEnvelopeSchema(String golden, Envelope e) throws IOException {
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(MAPPER.readTree(bytes("schemas/v1/envelope.json")));
    assertThat(schema.validate(MAPPER.readTree(bytes(golden)))).isEmpty();
    JsonNode bad = MAPPER.readTree("{\"v\":2,\"id\":\"\",\"room\":\"nope\",\"type\":\"A\"}");
    assertThat(schema.validate(bad)).hasSizeGreaterThanOrEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"v\":1}",
        "{\"v\":\"1\",\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},\"publishedAt\":\"2024-05-01T10:00:00Z\"}",
        "{\"v\":4294967297,\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},\"publishedAt\":\"2024-05-01T10:00:00Z\"}",
        "{\"v\":1,\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":[],\"publishedAt\":\"2024-05-01T10:00:00Z\"}",
        "{\"v\":1,\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},\"publishedAt\":\"yesterday\"}",
        "{\"v\":1,\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},\"publishedAt\":\"2024-05-01T10:00:00Z\"} {}",
        "{\"v\":1,\"id\":7,\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},\"publishedAt\":\"2024-05-01T10:00:00Z\"}"
      })
  void refusesWhatIsNotAnEnvelopeV1WithIllegalArgumentException(String json) {
    assertThatThrownBy(() -> EnvelopeCodec.decode(json))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() {
    String deep = "{\"v\":1,\"payload\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> EnvelopeCodec.decode(deep))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leavesAbsentOptionalFieldsOut() throws IOException {
    String minimal = new String(bytes("golden/envelope-minimal.json"), StandardCharsets.UTF_8);
    for (String field : List.of("nonce", "actor")) {
      assertThat(minimal).doesNotContain("\"" + field + "\"");
    }
  }

  @Test
  void withoutATimestampIssuedAtIsPublishedAt() throws IOException {
    JsonNode minimal = MAPPER.readTree(bytes("golden/envelope-minimal.json"));
    assertThat(minimal.get("issuedAt").asText()).isEqualTo(minimal.get("publishedAt").asText());
    Instant published = Instant.parse("2024-05-01T10:00:01Z");
    String stored =
        EnvelopeCodec.encodeWithoutId("team:42", "t.x", "{}", null, published, null, null);
    assertThat(stored).contains("\"issuedAt\":\"2024-05-01T10:00:01Z\"");
    assertThat(
            new Envelope(
                    "i", "team:42", "t.x", MAPPER.createObjectNode(), null, published, null, null)
                .issuedAt())
        .isEqualTo(published);
  }

  @Test
  void decodingAnEnvelopeWithoutIssuedAtFillsItFromPublishedAt() {
    Envelope old =
        EnvelopeCodec.decode(
            "{\"v\":1,\"id\":\"i\",\"room\":\"a:b\",\"type\":\"t\",\"payload\":{},"
                + "\"publishedAt\":\"2024-05-01T10:00:00Z\"}");
    assertThat(old.issuedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String resource) throws IOException {
    try (InputStream in =
        EnvelopeCodecGoldenTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
