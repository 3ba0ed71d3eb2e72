package dev.relay.gateway.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.gateway.hub.StreamVector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventFrameTest {

  private static final StreamVector V =
      StreamVector.of(
          new String[] {"1732326000000-0", "1732326000123-7", "0-0"},
          new String[] {"k3f9ab", "q8w7e6", null});

  @Test
  void eventFrameCarriesTheEnvelopeAndTheOffsetAsLastArgument() {
    byte[] frame = SocketIoConnection.eventFrame("{\"v\":1}", V);
    assertThat(new String(frame, StandardCharsets.UTF_8))
        .isEqualTo("42[\"event\",{\"v\":1},\"m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_\"]");
  }
}
