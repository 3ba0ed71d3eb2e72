package dev.relay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written JSON of {@link JsonStrings} and {@link EnvelopeCodec#encodeWithoutId} is, byte
 * for byte, what Jackson's generator writes (which is what both wrote before #17's seventh
 * session), for any text: control characters, quotes, backslashes, non-ASCII and lone surrogates
 * included.
 */
class JsonStringsPropertyTest {

  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Property(tries = 2000)
  void quotingIsJacksons(@ForAll("texts") String text) throws IOException {
    assertThat(quoted(text)).isEqualTo(JACKSON.writeValueAsString(text));
  }

  @Example
  void everyCharacterBelowTheFirstNonControlOneIsQuotedAsJacksonDoes() throws IOException {
    for (char c = 0; c < 0x80; c++) {
      String text = "a" + c + "b";
      assertThat(quoted(text)).as("U+%04X", (int) c).isEqualTo(JACKSON.writeValueAsString(text));
    }
  }

  @Property(tries = 500)
  void anEnvelopeWithoutIdIsWhatJacksonsGeneratorWrote(
      @ForAll("texts") String room,
      @ForAll("texts") String type,
      @ForAll("texts") String nonce,
      @ForAll("texts") String actor,
      @ForAll boolean withOptionals)
      throws IOException {
    String payload = "{\"a\":[1,2.50,\"x\\\"y\"],\"b\":{}}";
    Instant issued = Instant.ofEpochSecond(1_700_000_000L, 123_000_000);
    Instant published = Instant.ofEpochSecond(1_700_000_001L);
    String n = withOptionals ? nonce : null;
    String a = withOptionals ? actor : null;
    assertThat(EnvelopeCodec.encodeWithoutId(room, type, payload, issued, published, n, a))
        .isEqualTo(jacksonWithoutId(room, type, payload, issued, published, n, a));
    assertThat(EnvelopeCodec.withId("\"room\":\"r\"}", room))
        .isEqualTo("{\"v\":1,\"id\":" + JACKSON.writeValueAsString(room) + ",\"room\":\"r\"}");
  }

  private static String quoted(String text) {
    return JsonStrings.appendQuoted(new StringBuilder(), text).toString();
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(30),
        Arbitraries.strings()
            .withChars("\"\\/\u0000\u001f\u007f\ud800\udc00é€\n\t")
            .ofMaxLength(12));
  }

  /** The encoder as it was: a Jackson generator over a writer. */
  private static String jacksonWithoutId(
      String room,
      String type,
      String payload,
      Instant issuedAt,
      Instant publishedAt,
      String nonce,
      String actor)
      throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JACKSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("room", room);
      g.writeStringField("type", type);
      g.writeFieldName("payload");
      g.writeRawValue(payload);
      g.writeStringField("issuedAt", issuedAt.toString());
      g.writeStringField("publishedAt", publishedAt.toString());
      if (nonce != null) {
        g.writeStringField("nonce", nonce);
      }
      if (actor != null) {
        g.writeStringField("actor", actor);
      }
      g.writeEndObject();
    }
    return out.toString().substring(1);
  }
}
