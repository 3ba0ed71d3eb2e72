package dev.relay.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventSchemaRegistryTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final EventSchemaRegistry REGISTRY = EventSchemaRegistry.loadDefault();

  /** SPEC §3: the known types at v1 and their required payload fields. */
  static final Map<String, List<String>> REQUIRED = new LinkedHashMap<>();

  static {
    REQUIRED.put("participant.joined", List.of("participantId"));
    REQUIRED.put("participant.left", List.of("participantId"));
    REQUIRED.put("vote.cast", List.of("issueKey", "participantId"));
    REQUIRED.put("votes.revealed", List.of("issueKey"));
    REQUIRED.put("issue.advanced", List.of("issueKey"));
    REQUIRED.put("estimate.applied", List.of("issueKey", "value"));
    REQUIRED.put("session.ended", List.of());
    for (String t : List.of("task.created", "task.updated", "task.deleted", "task.assigned")) {
      REQUIRED.put(t, List.of("taskId", "teamId"));
    }
    REQUIRED.put("comment.created", List.of("commentId", "taskId"));
    REQUIRED.put("comment.deleted", List.of("commentId", "taskId"));
    REQUIRED.put("message.created", List.of("messageId", "conversationId", "content"));
    REQUIRED.put("message.updated", List.of("messageId", "content"));
    REQUIRED.put("message.deleted", List.of("messageId"));
    REQUIRED.put("typing.started", List.of("conversationId"));
    REQUIRED.put("typing.stopped", List.of("conversationId"));
    REQUIRED.put("presence.joined", List.of("sub"));
    REQUIRED.put("presence.left", List.of("sub"));
    REQUIRED.put("presence.updated", List.of("sub"));
    REQUIRED.put("message.delta", List.of("messageId", "conversationId", "delta"));
    REQUIRED.put("message.completed", List.of("messageId", "conversationId"));
    REQUIRED.put("message.snapshot", List.of("messageId", "conversationId"));
  }

  /** Required fields that are not non-empty strings, with a valid value. */
  static final Map<String, Map<String, Object>> REQUIRED_OTHER =
      Map.of(
          "message.delta", Map.of("seq", 1),
          "message.completed", Map.of("content", ""),
          "message.snapshot", Map.of("seq", 3, "content", "Hel"));

  static Stream<String> knownTypes() {
    return REQUIRED.keySet().stream();
  }

  static Stream<Arguments> requiredFields() {
    return REQUIRED.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(f -> Arguments.of(e.getKey(), f)));
  }

  static ObjectNode validPayload(String type) {
    ObjectNode payload = MAPPER.createObjectNode();
    for (String field : REQUIRED.get(type)) {
      switch (field) {
        case "issueKey" -> payload.put(field, "SCRUM-1");
        case "value" -> payload.put(field, "5");
        case "content" -> payload.put(field, "hello");
        default -> payload.put(field, "acct-123");
      }
    }
    REQUIRED_OTHER
        .getOrDefault(type, Map.of())
        .forEach((field, value) -> payload.set(field, MAPPER.valueToTree(value)));
    payload.put("extraField", "other fields are allowed");
    return payload;
  }

  @ParameterizedTest
  @MethodSource("knownTypes")
  void everyKnownTypeIsAtVersionOneAndAcceptsItsValidPayload(String type) {
    assertThat(REGISTRY.isKnown(type)).isTrue();
    assertThat(REGISTRY.latestVersion(type)).isEqualTo(1);
    assertThat(REGISTRY.validate(type, 1, validPayload(type))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("requiredFields")
  void aMissingRequiredFieldIsNamed(String type, String field) {
    ObjectNode payload = validPayload(type);
    payload.remove(field);
    assertThat(REGISTRY.validate(type, 1, payload))
        .containsExactly("payload." + field + " is required");
  }

  @ParameterizedTest
  @MethodSource("requiredFields")
  void requiredStringsMustBeNonEmptyAndBounded(String type, String field) {
    ObjectNode payload = validPayload(type);
    payload.put(field, "");
    assertThat(REGISTRY.validate(type, 1, payload))
        .containsExactly("payload." + field + " must not be empty");
    payload.put(field, "x".repeat(70_000));
    assertThat(REGISTRY.validate(type, 1, payload))
        .singleElement()
        .asString()
        .startsWith("payload." + field + " must be at most ");
  }

  @ParameterizedTest
  @MethodSource("requiredFields")
  void requiredFieldsRejectObjects(String type, String field) {
    ObjectNode payload = validPayload(type);
    payload.putObject(field);
    String expected = field.equals("value") ? "a string or number" : "a string";
    assertThat(REGISTRY.validate(type, 1, payload))
        .containsExactly("payload." + field + " must be " + expected);
  }

  @Test
  void aDeltaHasAPositiveIntegerSeqAndAtMost4096Characters() {
    ObjectNode payload = validPayload("message.delta");
    assertThat(REGISTRY.validate("message.delta", 1, payload)).isEmpty();
    payload.put("seq", 0);
    assertThat(REGISTRY.validate("message.delta", 1, payload)).isNotEmpty();
    payload.put("seq", "1");
    assertThat(REGISTRY.validate("message.delta", 1, payload)).isNotEmpty();
    payload.put("seq", 1.5);
    assertThat(REGISTRY.validate("message.delta", 1, payload)).isNotEmpty();
    payload.put("seq", 2);
    payload.put("delta", "é".repeat(4096));
    assertThat(REGISTRY.validate("message.delta", 1, payload)).isEmpty();
    payload.put("delta", "x".repeat(4097));
    assertThat(REGISTRY.validate("message.delta", 1, payload))
        .containsExactly("payload.delta must be at most 4096 characters");
    payload.remove("seq");
    payload.put("delta", "x");
    assertThat(REGISTRY.validate("message.delta", 1, payload))
        .containsExactly("payload.seq is required");
  }

  @Test
  void valueIsAStringOrANumber() {
    ObjectNode payload = validPayload("vote.cast");
    payload.put("value", 8);
    assertThat(REGISTRY.validate("vote.cast", 1, payload)).isEmpty();
    payload.put("value", 0.5);
    assertThat(REGISTRY.validate("estimate.applied", 1, payload)).isEmpty();
    payload.put("value", true);
    assertThat(REGISTRY.validate("vote.cast", 1, payload))
        .containsExactly("payload.value must be a string or number");
  }

  @Test
  void reportsEveryViolation() {
    ObjectNode payload = MAPPER.createObjectNode().put("participantId", 7);
    assertThat(REGISTRY.validate("vote.cast", 1, payload))
        .containsExactlyInAnyOrder(
            "payload.issueKey is required", "payload.participantId must be a string");
  }

  @Test
  void aHiddenVoteIsAnnouncedWithoutItsValue() {
    ObjectNode hidden =
        MAPPER.createObjectNode().put("issueKey", "SCRUM-1").put("participantId", "acct-1");
    assertThat(REGISTRY.validate("vote.cast", 1, hidden)).isEmpty();
    hidden.put("value", "");
    assertThat(REGISTRY.validate("vote.cast", 1, hidden))
        .containsExactly("payload.value must not be empty");
    hidden.put("value", "x".repeat(65));
    assertThat(REGISTRY.validate("vote.cast", 1, hidden))
        .singleElement()
        .asString()
        .startsWith("payload.value must be at most ");
  }

  @Test
  void aPayloadThatIsNotAnObjectIsRefused() throws Exception {
    for (JsonNode payload :
        List.of(
            MAPPER.readTree("[1]"),
            MAPPER.readTree("\"x\""),
            MAPPER.readTree("3"),
            NullNode.instance)) {
      assertThat(REGISTRY.validate("vote.cast", 1, payload))
          .containsExactly("payload must be a JSON object");
    }
    assertThat(REGISTRY.validate("session.ended", 1, null))
        .containsExactly("payload must be a JSON object");
  }

  @Test
  void unknownTypesAndVersionsAreTheCallersMistake() {
    assertThat(REGISTRY.isKnown("made.up")).isFalse();
    assertThat(REGISTRY.isKnown(null)).isFalse();
    assertThatThrownBy(() -> REGISTRY.latestVersion("made.up"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("made.up");
    assertThatThrownBy(() -> REGISTRY.validate("made.up", 1, MAPPER.createObjectNode()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> REGISTRY.validate("vote.cast", 2, MAPPER.createObjectNode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no schema version 2");
  }

  @Test
  void hostilePayloadsGiveMessagesNotExceptions() {
    ObjectNode deep = validPayload("vote.cast");
    ObjectNode cursor = deep.putObject("nested");
    for (int i = 0; i < 100_000; i++) {
      cursor = cursor.putObject("n");
    }
    assertThat(REGISTRY.validate("vote.cast", 1, deep)).isEmpty();

    ObjectNode deepField = validPayload("vote.cast");
    ObjectNode inField = deepField.putObject("issueKey");
    for (int i = 0; i < 100_000; i++) {
      inField = inField.putObject("n");
    }
    assertThat(REGISTRY.validate("vote.cast", 1, deepField))
        .containsExactly("payload.issueKey must be a string");

    ObjectNode huge =
        validPayload("message.created").put("content", "\uD83D\uDE00".repeat(5_000_000));
    assertThat(REGISTRY.validate("message.created", 1, huge))
        .containsExactly("payload.content must be at most 65536 characters");
  }

  @Test
  void isLoadedOnceAndSafeToShareAcrossThreads() {
    assertThat(EventSchemaRegistry.loadDefault()).isSameAs(REGISTRY);
    ObjectNode invalid =
        JsonNodeFactory.instance.objectNode().put("issueKey", "SCRUM-1").put("value", true);
    List<List<String>> results =
        IntStream.range(0, 2_000)
            .parallel()
            .mapToObj(i -> REGISTRY.validate("vote.cast", 1, invalid))
            .distinct()
            .toList();
    assertThat(results)
        .containsExactly(
            List.of(
                "payload.value must be a string or number", "payload.participantId is required"));
  }

  @Test
  void oldVersionsKeepValidatingWhenANewVersionIsAdded() throws Exception {
    EventSchemaRegistry evolved = EventSchemaRegistry.load("evolution/index.json");
    JsonNode v1 =
        MAPPER.readTree("{\"issueKey\":\"SCRUM-1\",\"participantId\":\"a\",\"value\":\"5\"}");
    JsonNode v2 =
        MAPPER.readTree(
            "{\"issueKey\":\"SCRUM-1\",\"participantId\":\"a\","
                + "\"estimate\":{\"value\":5,\"scale\":\"fibonacci\"}}");

    assertThat(evolved.latestVersion("vote.cast")).isEqualTo(2);
    assertThat(evolved.validate("vote.cast", 1, v1)).isEmpty();
    assertThat(evolved.validate("vote.cast", 2, v2)).isEmpty();
    assertThat(evolved.validate("vote.cast", 2, v1))
        .containsExactly("payload.estimate is required");
    ((ObjectNode) v2.get("estimate")).remove("scale");
    assertThat(evolved.validate("vote.cast", 2, v2))
        .containsExactly("payload.estimate.scale is required");
  }
}
