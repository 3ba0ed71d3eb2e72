package dev.relay.gateway.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.gateway.hub.StreamVector;
import org.junit.jupiter.api.Test;

class RecoveryOffsetTest {

  private static final StreamVector V =
      StreamVector.of(
          new String[] {"1732326000000-0", "1732326000123-7", "0-0"},
          new String[] {"k3f9ab", "q8w7e6", null});

  @Test
  void encodesCompactlyAndDecodesToTheSameVector() {
    String offset = RecoveryOffset.encode(V);
    assertThat(offset).isEqualTo("m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_");
    assertThat(RecoveryOffset.decode(offset, 3)).contains(V);
  }

  @Test
  void refusesMalformedOrForeignOffsets() {
    assertThat(RecoveryOffset.decode("m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_", 16)).isEmpty();
    assertThat(RecoveryOffset.decode("m3ti68e3~zzzzzzzzzz-0.k3f9ab~0-7.q~_", 3)).isEmpty();
    assertThat(RecoveryOffset.decode("~~~", 3)).isEmpty();
    assertThat(RecoveryOffset.decode("A~B~C~D", 3)).isEmpty();
    assertThat(RecoveryOffset.decode("x".repeat(5000), 3)).isEmpty();
    assertThat(RecoveryOffset.decode(null, 3)).isEmpty();
  }

  @Test
  void maxAndDominatesCompareWithinAnEpochOnly() {
    StreamVector later = V.with(0, new EventId(1732326000500L, 0, "k3f9ab"));
    StreamVector newLife = V.with(1, new EventId(5, 0, "zzzzzz"));
    assertThat(SocketIoRecovery.max(V, later)).isEqualTo(later);
    assertThat(SocketIoRecovery.max(later, V)).isEqualTo(later);
    assertThat(SocketIoRecovery.dominates(later, V)).isTrue();
    assertThat(SocketIoRecovery.dominates(V, later)).isFalse();
    assertThat(SocketIoRecovery.max(V, newLife).position(1).epoch()).isEqualTo("zzzzzz");
    assertThat(SocketIoRecovery.covers(V, 0, new EventId(1732326000000L, 0, "k3f9ab"))).isTrue();
    assertThat(SocketIoRecovery.covers(V, 0, new EventId(1732326000000L, 1, "k3f9ab"))).isFalse();
    assertThat(SocketIoRecovery.covers(V, 2, new EventId(1, 0, "k3f9ab"))).isFalse();
  }

  @Test
  void eventFrameCarriesTheEnvelopeAndTheOffsetAsLastArgument() {
    byte[] frame = SocketIoConnection.eventFrame("{\"v\":1}", V);
    assertThat(new String(frame, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("42[\"event\",{\"v\":1},\"m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_\"]");
  }
}
