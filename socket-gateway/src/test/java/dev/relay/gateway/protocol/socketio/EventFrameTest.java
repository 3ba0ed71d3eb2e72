package dev.relay.gateway.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFrameTest {

  @Test
  void eventFrameCarriesTheEnvelopeAndTheOffsetAsLastArgument() {
    byte[] frame = SocketIoConnection.eventFrame("{\"v\":1}", "m3ti68e3~1k2j3h.0-0.k3f9ab");
    assertThat(new String(frame, StandardCharsets.UTF_8))
        .isEqualTo("42[\"event\",{\"v\":1},\"m3ti68e3~1k2j3h.0-0.k3f9ab\"]");
  }
}
