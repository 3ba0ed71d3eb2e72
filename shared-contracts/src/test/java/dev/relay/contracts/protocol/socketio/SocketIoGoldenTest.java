package dev.relay.contracts.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.socketio.EnginePacket.Type;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Frames as the stock socket.io-client v4 (Engine.IO v4, Socket.IO v5) sends and expects them. */
class SocketIoGoldenTest {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  static Stream<Arguments> socketFrames() {
    return Stream.of(
        Arguments.of(
            "2[\"event\",{\"a\":1}]", SocketPacket.event("/", null, "event", json("{\"a\":1}"))),
        Arguments.of(
            "21[\"subscribe\",{\"room\":\"team:1\"}]",
            SocketPacket.event("/", 1L, "subscribe", json("{\"room\":\"team:1\"}"))),
        Arguments.of(
            "3/chat,5[{\"ok\":true}]", SocketPacket.ack("/chat", 5, json("{\"ok\":true}"))),
        Arguments.of(
            "313[{\"ok\":false,\"code\":\"forbidden\"}]",
            SocketPacket.ack("/", 13, json("{\"ok\":false,\"code\":\"forbidden\"}"))),
        Arguments.of(
            "0{\"token\":\"x\"}",
            SocketPacket.connect("/", (ObjectNode) json("{\"token\":\"x\"}"))),
        Arguments.of("0", SocketPacket.connect("/", null)),
        Arguments.of(
            "0/admin,{\"token\":\"x\"}",
            SocketPacket.connect("/admin", (ObjectNode) json("{\"token\":\"x\"}"))),
        Arguments.of("1", SocketPacket.disconnect("/")),
        Arguments.of("1/admin,", SocketPacket.disconnect("/admin")),
        Arguments.of(
            "4{\"message\":\"unauthorized\"}", SocketPacket.connectError("/", "unauthorized")),
        Arguments.of(
            "2[\"event\",{\"v\":1,\"text\":\"é😀\\n\"},[1.50,null,false]]",
            SocketPacket.event(
                "/",
                null,
                "event",
                json("{\"v\":1,\"text\":\"é😀\\n\"}"),
                json("[1.50,null,false]"))));
  }

  @ParameterizedTest
  @MethodSource("socketFrames")
  void socketPacketsEncodeAndDecodeAsTheGoldenFrame(String frame, SocketPacket packet) {
    assertThat(packet.encode()).isEqualTo(frame);
    assertThat(SocketPacket.decode(frame)).isEqualTo(packet);
  }

  @Test
  void aNamespaceWithoutTrailingCommaIsAcceptedLikeTheReferenceParser() {
    assertThat(SocketPacket.decode("0/admin")).isEqualTo(SocketPacket.connect("/admin", null));
  }

  @Test
  void engineMessagesCarrySocketPackets() {
    EnginePacket connect = EnginePacket.decode("40");
    assertThat(connect).isEqualTo(EnginePacket.message("0"));
    assertThat(SocketPacket.decode(connect.data())).isEqualTo(SocketPacket.connect("/", null));

    EnginePacket refused =
        EnginePacket.message(SocketPacket.connectError("/", "unauthorized").encode());
    assertThat(refused.encode()).isEqualTo("44{\"message\":\"unauthorized\"}");
    assertThat(SocketPacket.decode(EnginePacket.decode("44{\"message\":\"unauthorized\"}").data()))
        .isEqualTo(SocketPacket.connectError("/", "unauthorized"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|OPEN|",
        "1|CLOSE|",
        "2|PING|",
        "3|PONG|",
        "2probe|PING|probe",
        "3probe|PONG|probe",
        "4hello|MESSAGE|hello",
        "5|UPGRADE|",
        "6|NOOP|"
      })
  void enginePacketsEncodeAndDecodeAsTheGoldenFrame(String frame, Type type, String data) {
    EnginePacket packet = new EnginePacket(type, data == null ? "" : data);
    assertThat(packet.encode()).isEqualTo(frame);
    assertThat(EnginePacket.decode(frame)).isEqualTo(packet);
  }

  @Test
  void theOpenPacketCarriesTheHandshake() {
    EngineHandshake handshake =
        new EngineHandshake(
            "Lbo5JLzTotvW3g2LAAAA", List.of("websocket"), 25_000, 20_000, 1_000_000);
    String frame =
        "0{\"sid\":\"Lbo5JLzTotvW3g2LAAAA\",\"upgrades\":[\"websocket\"],"
            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
    assertThat(EnginePacket.open(handshake).encode()).isEqualTo(frame);
    assertThat(EngineHandshake.parse(EnginePacket.decode(frame).data())).isEqualTo(handshake);
  }

  @Test
  void pollingPayloadsAreSeparatedByRecordSeparators() {
    List<EnginePacket> packets = List.of(EnginePacket.message("hello"), EnginePacket.of(Type.PING));
    assertThat(EnginePacket.encodePayload(packets)).isEqualTo("4hello\u001e2");
    assertThat(EnginePacket.decodePayload("4hello\u001e2")).isEqualTo(packets);
    assertThat(EnginePacket.decodePayload("6")).containsExactly(EnginePacket.of(Type.NOOP));
    assertThatThrownBy(() -> EnginePacket.encodePayload(List.of(EnginePacket.message("a\u001eb"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty Engine.IO packet",
        "7|unknown Engine.IO packet type",
        "x4|unknown Engine.IO packet type",
        "bBAECAw==|binary Engine.IO packets are not supported"
      })
  void malformedEnginePacketsAreRefused(String frame, String message) {
    assertThatThrownBy(() -> EnginePacket.decode(frame))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void malformedPollingPayloadsAreRefusedWhole() {
    for (String body : List.of("", "4a\u001e\u001e2", "4a\u001e", "\u001e4a", "4a\u001ebAQI=")) {
      assertThatThrownBy(() -> EnginePacket.decodePayload(body))
          .as(body)
          .isInstanceOf(ProtocolException.class);
    }
    assertThatThrownBy(() -> EnginePacket.decodePayload("4" + "a".repeat(100), 100))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("longer than 100");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty Socket.IO packet",
        "7|unknown Socket.IO packet type",
        "51-[\"a\",{\"_placeholder\":true,\"num\":0}]|binary Socket.IO packets",
        "61-0[{\"_placeholder\":true,\"num\":0}]|binary Socket.IO packets",
        "2|EVENT data must be a JSON array",
        "2[]|EVENT data must be a JSON array",
        "2[1]|EVENT data must be a JSON array",
        "2{\"a\":1}|EVENT data must be a JSON array",
        "2[\"connect\"]|reserved",
        "3[]|ACK packets need an ack id",
        "35{}|ACK data must be a JSON array",
        "1{}|DISCONNECT packets carry no data",
        "17|DISCONNECT packets carry no ack id",
        "0[1]|CONNECT data must be a JSON object",
        "4|CONNECT_ERROR data must be a JSON object",
        "4\"unauthorized\"|CONNECT_ERROR data must be a JSON object",
        "2[\"a\"|not valid JSON",
        "2[\"a\"] []|not valid JSON",
        "2chat,[\"a\"]|not valid JSON",
        "2/a\u0001b,[\"a\"]|namespace must not contain",
        "212345678901234567[\"a\"]|more than 16 digits",
        "29007199254740992[\"a\"]|ack id must be between"
      })
  void malformedSocketPacketsAreRefusedWithAClearMessage(String frame, String message) {
    assertThatThrownBy(() -> SocketPacket.decode(frame))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void decodingIsBounded() {
    String deep = "2[\"a\"," + "[".repeat(65) + "]".repeat(65) + "]";
    assertThatThrownBy(() -> SocketPacket.decode(deep))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("nesting depth 64");
    String veryDeep = "2[\"a\"," + "[".repeat(500_000) + "]".repeat(500_000) + "]";
    assertThatThrownBy(() -> SocketPacket.decode(veryDeep, 2_000_000))
        .isInstanceOf(ProtocolException.class);
    String longNumber = "2[\"a\"," + "9".repeat(5_000) + "]";
    assertThatThrownBy(() -> SocketPacket.decode(longNumber)).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> SocketPacket.decode("2[\"" + "a".repeat(2_000) + "\"]", 1_000))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("longer than 1000");
  }

  @Test
  void handshakesMissingFieldsAreRefused() {
    for (String json :
        List.of(
            "",
            "[]",
            "{\"sid\":1}",
            "{\"sid\":\"a\",\"upgrades\":[1]}",
            "{\"sid\":\"a\",\"upgrades\":[],"
                + "\"pingInterval\":0,\"pingTimeout\":1,\"maxPayload\":1}")) {
      assertThatThrownBy(() -> EngineHandshake.parse(json))
          .as(json)
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void theEventNameIsTheFirstDataElement() {
    assertThat(SocketPacket.decode("21[\"subscribe\",{}]").eventName()).isEqualTo("subscribe");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
