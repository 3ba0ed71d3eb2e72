package dev.relay.contracts.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.protocol.InvalidMessageException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Hostile frames on the JSON protocol: whatever arrives, the codec returns a well-formed message or
 * throws {@link InvalidMessageException} with the stable code — never anything else.
 */
class JsonProtocolCodecPropertyTest {

  private static final String[] VALID = {
    "{\"type\":\"subscribe\",\"room\":\"team:42\",\"since\":\"1-0.abc\",\"ref\":\"r1\"}",
    "{\"type\":\"subscribe\",\"teamId\":\"42\"}",
    "{\"type\":\"unsubscribe\",\"room\":\"team:42\"}",
    "{\"type\":\"publish\",\"room\":\"conversation:7\",\"event\":\"message.created\",\"payload\":{\"a\":[1,2,{\"b\":null}]},\"ref\":\"c1\"}",
    "{\"type\":\"presence\",\"room\":\"team:42\"}",
    "{\"type\":\"refresh\",\"token\":\"a.b.c\"}",
    "{\"type\":\"auth\",\"token\":\"a.b.c\"}",
    "{\"type\":\"ping\"}"
  };

  @Property(tries = 2000)
  void randomTextNeverEscapesAsAnythingButAnInvalidMessage(
      @ForAll @StringLength(max = 300) String text) {
    assertParsesOrRefuses(text);
  }

  @Property(tries = 3000)
  void mutatedValidFramesNeverEscape(@ForAll("mutations") String text) {
    assertParsesOrRefuses(text);
  }

  @Property(tries = 200)
  void validFramesAlwaysParse(@ForAll("valid") String text) throws InvalidMessageException {
    assertThat(JsonProtocolCodec.parse(text)).isNotNull();
  }

  @Provide
  Arbitrary<String> valid() {
    return Arbitraries.of(VALID);
  }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<String> base = Arbitraries.of(VALID);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
    Arbitrary<String> insert =
        Arbitraries.of(
            "",
            "\"",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\\",
            "\\u0000",
            "\ud800",
            "null",
            "1e999",
            "\"type\":",
            "{\"type\":\"ping\"}",
            "[".repeat(100),
            "\u0000");
    Arbitrary<Integer> cut = Arbitraries.integers().between(0, 30);
    return net.jqwik.api.Combinators.combine(base, position, insert, cut)
        .as(
            (frame, at, text, drop) -> {
              int i = Math.min(at, frame.length());
              int end = Math.min(frame.length(), i + drop);
              return frame.substring(0, i) + text + frame.substring(end);
            });
  }

  private static void assertParsesOrRefuses(String text) {
    try {
      JsonProtocolCodec.parse(text);
    } catch (InvalidMessageException e) {
      assertThat(e.code()).isEqualTo(JsonProtocolCodec.INVALID);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
