package dev.relay.contracts.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.socketio.SocketPacket.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Encode then decode is the identity; any other input fails only with ProtocolException. */
class SocketIoPropertyTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property
  void socketPacketsRoundTrip(@ForAll("socketPackets") SocketPacket packet) {
    assertThat(SocketPacket.decode(packet.encode())).isEqualTo(packet);
  }

  @Property
  void socketPacketsInsideEngineMessagesRoundTripThroughPolling(
      @ForAll("socketPackets") SocketPacket first, @ForAll("socketPackets") SocketPacket second) {
    List<EnginePacket> packets =
        List.of(EnginePacket.message(first.encode()), EnginePacket.message(second.encode()));
    List<EnginePacket> decoded = EnginePacket.decodePayload(EnginePacket.encodePayload(packets));
    assertThat(decoded).isEqualTo(packets);
    assertThat(SocketPacket.decode(decoded.get(1).data())).isEqualTo(second);
  }

  @Property
  void enginePacketsRoundTrip(@ForAll("enginePackets") EnginePacket packet) {
    assertThat(EnginePacket.decode(packet.encode())).isEqualTo(packet);
  }

  @Property
  void pollingPayloadsRoundTrip(@ForAll("payloads") List<EnginePacket> packets) {
    assertThat(EnginePacket.decodePayload(EnginePacket.encodePayload(packets))).isEqualTo(packets);
  }

  @Property
  void randomTextFailsOnlyWithProtocolException(@ForAll("junk") String text) {
    decodeEverything(text);
  }

  @Property
  void mutatedFramesFailOnlyWithProtocolException(
      @ForAll("socketPackets") SocketPacket packet,
      @ForAll("junk") String insert,
      @ForAll("positions") int at,
      @ForAll("positions") int drop) {
    String frame = "4" + packet.encode();
    int i = Math.min(at, frame.length());
    decodeEverything(
        frame.substring(0, i) + insert + frame.substring(Math.min(frame.length(), i + drop % 5)));
  }

  private static void decodeEverything(String text) {
    for (Function<String, ?> decoder :
        List.<Function<String, ?>>of(
            SocketPacket::decode,
            EnginePacket::decode,
            EnginePacket::decodePayload,
            EngineHandshake::parse,
            t -> SocketPacket.decode(t.isEmpty() ? t : t.substring(1)))) {
      try {
        assertThat(decoder.apply(text)).isNotNull();
      } catch (ProtocolException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 300);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("0123456789/,[]{}\":-btrue\u001e ").ofMaxLength(40),
        Arbitraries.of("[[[[[[[[", "1e99999999999", "\"\\ud800\"", "2[\"connect\"]", "5-0[]"));
  }

  @Provide
  Arbitrary<EnginePacket> enginePackets() {
    return Combinators.combine(
            Arbitraries.of(EnginePacket.Type.class), Arbitraries.strings().ofMaxLength(50))
        .as(EnginePacket::new);
  }

  @Provide
  Arbitrary<List<EnginePacket>> payloads() {
    return Combinators.combine(
            Arbitraries.of(EnginePacket.Type.class),
            Arbitraries.strings().ofMaxLength(30).filter(s -> s.indexOf('\u001e') < 0))
        .as(EnginePacket::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Provide
  Arbitrary<SocketPacket> socketPackets() {
    Arbitrary<String> namespaces =
        Arbitraries.oneOf(
            Arbitraries.just("/"),
            Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars("-_/.é")
                .ofMaxLength(20)
                .map(s -> "/" + s));
    Arbitrary<Long> ackIds = Arbitraries.longs().between(0, SocketPacket.MAX_ACK_ID);
    Arbitrary<String> names =
        Arbitraries.strings()
            .ofMaxLength(20)
            .filter(n -> !n.equals("connect") && !n.equals("disconnect"));
    Arbitrary<JsonNode> args = values(3);
    Arbitrary<SocketPacket> events =
        Combinators.combine(namespaces, ackIds.injectNull(0.5), names, args.list().ofMaxSize(3))
            .as(
                (ns, ack, name, list) ->
                    SocketPacket.event(ns, ack, name, list.toArray(JsonNode[]::new)));
    Arbitrary<SocketPacket> acks =
        Combinators.combine(namespaces, ackIds, args.list().ofMaxSize(3))
            .as((ns, ack, list) -> SocketPacket.ack(ns, ack, list.toArray(JsonNode[]::new)));
    Arbitrary<SocketPacket> connects =
        Combinators.combine(namespaces, objects(2).injectNull(0.3)).as(SocketPacket::connect);
    Arbitrary<SocketPacket> errors =
        Combinators.combine(namespaces, Arbitraries.strings().ofMaxLength(30))
            .as(SocketPacket::connectError);
    return Arbitraries.oneOf(
            events, acks, connects, errors, namespaces.map(SocketPacket::disconnect))
        .filter(p -> p.type() != Type.BINARY_EVENT);
  }

  /** JSON values as the decoder builds them: ints, scale-2 decimals, unicode text, nesting. */
  private static Arbitrary<JsonNode> values(int depth) {
    Arbitrary<JsonNode> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                .ofScale(2)
                .map(NODES::numberNode),
            Arbitraries.of(NODES.booleanNode(false), NODES.nullNode()));
    if (depth == 0) {
      return leaves;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaves),
        Tuple.of(1, objects(depth - 1).map(JsonNode.class::cast)),
        Tuple.of(1, values(depth - 1).list().ofMaxSize(3).map(l -> NODES.arrayNode().addAll(l))));
  }

  private static Arbitrary<ObjectNode> objects(int depth) {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), values(depth))
        .ofMaxSize(4)
        .map(
            fields -> {
              ObjectNode node = NODES.objectNode();
              fields.forEach(node::set);
              return node;
            });
  }
}
