package dev.relay.publish.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.relay.contracts.schema.EventSchemaRegistry;
import dev.relay.engine.EventDraft;
import dev.relay.service.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link EventParser#parseBody} (one streaming pass for compact ASCII bodies, {@link CompactBody})
 * answers exactly what the tree path {@code parse(readObject(body))} answers, for generated bodies:
 * the same draft, byte for byte, or the same problem (status, code, field, message). The generator
 * mixes what publishers send (compact, as {@code JSON.stringify} writes it) with what must fall
 * back: whitespace, escapes, non-ASCII, numbers Jackson writes back differently, wrong field types,
 * duplicate keys, trailing content, known types with schemas.
 */
class EventParserFastPathTest {

  private final EventParser parser =
      new EventParser(new RegistryEventSchemas(EventSchemaRegistry.loadDefault()), 300, false);

  @Property(tries = 3000)
  void bothPathsGiveTheSameAnswer(@ForAll("bodies") String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertThat(outcome(() -> parser.parseBody(bytes, null, null)))
        .as(body)
        .isEqualTo(outcome(() -> parser.parse(parser.readObject(bytes), null, null)));
  }

  @Property(tries = 1000)
  void aCompactBodyTakesTheFastPathAndKeepsItsPayloadText(
      @ForAll("compactPayloads") String payload) {
    String body =
        "{\"sessionId\":\"abc-1\",\"event\":\"bench\",\"payload\":"
            + payload
            + ",\"nonce\":\"n1\"}";
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    assertThat(CompactBody.read(bytes, EventParser.jsonFactory())).isNotNull();
    EventDraft fast = parser.parseBody(bytes, null, null);
    assertThat(fast).isEqualTo(parser.parse(parser.readObject(bytes), null, null));
    assertThat(fast.payloadJson()).isEqualTo(payload);
  }

  @Example
  void whatMustFallBackFallsBack() {
    JsonFactory json = EventParser.jsonFactory();
    for (String body :
        List.of(
            "{\"event\":\"a\",\"payload\":{\"a\": 1}}",
            "{\"event\":\"a\",\"payload\":{\"a\":\"\\u0041\"}}",
            "{\"event\":\"a\",\"payload\":{\"a\":1e2}}",
            "{\"event\":\"a\",\"payload\":{\"a\":-0}}",
            "{\"event\":\"a\",\"payload\":{\"a\":0.0000001}}",
            "{\"event\":\"a\",\"payload\":null}",
            "{\"event\":5}",
            "{\"event\":\"a\"} {}",
            "{\"event\":\"a\",\"event\":\"b\"}",
            "[]")) {
      assertThat(CompactBody.read(body.getBytes(StandardCharsets.UTF_8), json)).as(body).isNull();
    }
    assertThat(CompactBody.read("{\"event\":\"é\"}".getBytes(StandardCharsets.UTF_8), json))
        .isNull();
  }

  private record Outcome(EventDraft draft, int status, String code, String field, String message) {}

  private static Outcome outcome(Supplier<EventDraft> parse) {
    try {
      return new Outcome(parse.get(), 0, null, null, null);
    } catch (ProblemException e) {
      return new Outcome(null, e.status(), e.code(), e.field(), e.getMessage());
    }
  }

  @Provide
  Arbitrary<String> compactPayloads() {
    return value(3, true).map(v -> v.startsWith("{") ? v : "{\"v\":" + v + "}");
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> strings =
        Arbitraries.oneOf(
            Arbitraries.of(
                "abc-1",
                "x",
                "bench",
                "vote.cast",
                "message.snapshot",
                "session:s-1",
                "team:t1",
                "bad id",
                "2024-05-01T10:00:00Z",
                "nonsense",
                "",
                "BIG"),
            Arbitraries.strings().withChars("ab1.:-_\"\\é\n").ofMaxLength(6));
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            strings.map(EventParserFastPathTest::quote),
            Arbitraries.of("null", "5", "true", "{}", "[]"));
    Arbitrary<String> field =
        Combinators.combine(
                Arbitraries.of(
                    "sessionId", "room", "event", "nonce", "timestamp", "payload", "other"),
                Arbitraries.oneOf(scalars, value(3, false)))
            .as((name, value) -> quote(name) + ":" + value);
    return Combinators.combine(
            field.list().ofMaxSize(7),
            Arbitraries.of("", "", "", " ", "\n"),
            Arbitraries.of("", "", "", "", " ", "{}", "x"))
        .as(
            (fields, space, trailing) -> {
              List<String> all = new ArrayList<>(fields);
              return "{" + space + String.join("," + space, all) + "}" + trailing;
            });
  }

  /** A JSON value; compact ones are written as JSON.stringify would (no whitespace). */
  private static Arbitrary<String> value(int depth, boolean compactOnly) {
    Arbitrary<String> numbers =
        compactOnly
            ? Arbitraries.of(
                "0",
                "7",
                "-12",
                "3.5",
                "1.50",
                "-0.25",
                "1765078123456.789",
                "12345678901234567890")
            : Arbitraries.of(
                "0",
                "-0",
                "7",
                "1.50",
                "1e2",
                "1E+2",
                "0.0000001",
                "-0.0",
                "2.0e-3",
                "1765078123456.789");
    Arbitrary<String> strings =
        compactOnly
            ? Arbitraries.strings()
                .withChars("ab c/:{}[],'")
                .ofMaxLength(8)
                .map(EventParserFastPathTest::quote)
            : Arbitraries.strings()
                .withChars("ab \"\\é\t/")
                .ofMaxLength(6)
                .map(EventParserFastPathTest::quote);
    Arbitrary<String> leaf =
        Arbitraries.oneOf(numbers, strings, Arbitraries.of("true", "false", "null"));
    if (depth == 0) {
      return leaf;
    }
    String sep = compactOnly ? "" : " ";
    Arbitrary<String> inner = value(depth - 1, compactOnly);
    Arbitrary<String> array =
        inner.list().ofMaxSize(3).map(l -> "[" + String.join("," + sep, l) + "]");
    Arbitrary<String> object =
        Combinators.combine(Arbitraries.of("a", "b", "c", "issueKey", "participantId"), inner)
            .as((k, v) -> quote(k) + ":" + sep + v)
            .list()
            .ofMaxSize(3)
            .uniqueElements(e -> e.substring(0, e.indexOf(':')))
            .map(l -> "{" + String.join("," + sep, l) + "}");
    return Arbitraries.oneOf(leaf, array, object, object);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
