package dev.relay.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Encoding then decoding an envelope gives it back; decoding junk fails only in one way. */
class EnvelopeCodecPropertyTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property
  void encodeThenDecodeIsTheIdentity(@ForAll("envelopes") Envelope envelope) {
    assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(envelope))).isEqualTo(envelope);
  }

  @Property(tries = 300)
  void decodingMutatedEnvelopesThrowsNothingButIllegalArgument(
      @ForAll("envelopes") Envelope envelope,
      @ForAll("positions") int at,
      @ForAll("mutations") String insert,
      @ForAll("positions") int cut) {
    String json = EnvelopeCodec.encode(envelope);
    int i = Math.min(at, json.length());
    String mutated =
        json.substring(0, i) + insert + json.substring(Math.min(json.length(), i + cut % 4));
    try {
      EnvelopeCodec.decode(mutated);
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 400);
  }

  @Provide
  Arbitrary<String> mutations() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "\"", "{", "}", "[", ",", ":", "1", "null", "\"v\":1,", "\\u12"),
        Arbitraries.strings().ofMaxLength(3));
  }

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<Instant> instants =
        Combinators.combine(
                Arbitraries.longs().between(0, 253_402_300_799L),
                Arbitraries.integers().between(0, 999_999_999))
            .as(Instant::ofEpochSecond);
    Arbitrary<String> rooms =
        Combinators.combine(
                Arbitraries.of("session", "team", "task", "x_y-9"),
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars("._~@-")
                    .ofMinLength(1)
                    .ofMaxLength(20))
            .as((kind, id) -> kind + ":" + id);
    return Combinators.combine(
            text.filter(s -> !s.isEmpty()),
            rooms,
            Arbitraries.of("vote.cast", "message.created", "custom.thing_1"),
            objects(2),
            instants.injectNull(0.3),
            instants,
            text.injectNull(0.3),
            text.injectNull(0.5))
        .as(Envelope::new);
  }

  /** JSON objects with unicode keys and values, nested up to {@code depth} levels. */
  private static Arbitrary<ObjectNode> objects(int depth) {
    Arbitrary<JsonNode> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30).map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.of(NODES.booleanNode(true), NODES.nullNode()));
    Arbitrary<JsonNode> values =
        depth == 0
            ? leaves
            : Arbitraries.frequencyOf(
                Tuple.of(5, leaves),
                Tuple.of(1, objects(depth - 1).map(JsonNode.class::cast)),
                Tuple.of(1, leaves.list().ofMaxSize(4).map(EnvelopeCodecPropertyTest::array)));
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(12), values)
        .ofMaxSize(4)
        .map(
            fields -> {
              ObjectNode node = NODES.objectNode();
              fields.forEach(node::set);
              return node;
            });
  }

  private static JsonNode array(List<JsonNode> items) {
    return NODES.arrayNode().addAll(items);
  }
}
