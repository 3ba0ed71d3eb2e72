package dev.relay.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.contracts.EventId;
import dev.relay.gateway.hub.StreamVector;
import org.junit.jupiter.api.Test;

class ResumeOffsetTest {

  private static final StreamVector V =
      StreamVector.of(
          new String[] {"1732326000000-0", "1732326000123-7", "0-0"},
          new String[] {"k3f9ab", "q8w7e6", null});

  @Test
  void encodesCompactlyAndDecodesToTheSameVector() {
    String offset = ResumeOffset.encode(V);
    assertThat(offset).isEqualTo("m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_");
    assertThat(ResumeOffset.decode(offset, 3)).contains(V);
  }

  @Test
  void refusesMalformedOrForeignOffsets() {
    assertThat(ResumeOffset.decode("m3ti68e3~3f-0.k3f9ab~0-7.q8w7e6~_", 16)).isEmpty();
    assertThat(ResumeOffset.decode("m3ti68e3~zzzzzzzzzz-0.k3f9ab~0-7.q~_", 3)).isEmpty();
    assertThat(ResumeOffset.decode("~~~", 3)).isEmpty();
    assertThat(ResumeOffset.decode("A~B~C~D", 3)).isEmpty();
    assertThat(ResumeOffset.decode("x".repeat(5000), 3)).isEmpty();
    assertThat(ResumeOffset.decode(null, 3)).isEmpty();
  }

  @Test
  void maxAndDominatesCompareWithinAnEpochOnly() {
    StreamVector later = V.with(0, new EventId(1732326000500L, 0, "k3f9ab"));
    StreamVector newLife = V.with(1, new EventId(5, 0, "zzzzzz"));
    assertThat(ResumeOffset.max(V, later)).isEqualTo(later);
    assertThat(ResumeOffset.max(later, V)).isEqualTo(later);
    assertThat(ResumeOffset.dominates(later, V)).isTrue();
    assertThat(ResumeOffset.dominates(V, later)).isFalse();
    assertThat(ResumeOffset.max(V, newLife).position(1).epoch()).isEqualTo("zzzzzz");
    assertThat(ResumeOffset.covers(V, 0, new EventId(1732326000000L, 0, "k3f9ab"))).isTrue();
    assertThat(ResumeOffset.covers(V, 0, new EventId(1732326000000L, 1, "k3f9ab"))).isFalse();
    assertThat(ResumeOffset.covers(V, 2, new EventId(1, 0, "k3f9ab"))).isFalse();
  }
}
