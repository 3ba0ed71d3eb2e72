package dev.relay.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

  private static Samples.Sorted of(long... micros) {
    Samples samples = new Samples(1000);
    for (long m : micros) {
      samples.recordNanos(m * 1000);
    }
    return Samples.merge(List.of(samples));
  }

  @Test
  void nearestRankPercentilesOfOneToHundred() {
    Samples a = new Samples(1000);
    Samples b = new Samples(1000);
    for (int i = 100; i >= 1; i--) {
      (i % 2 == 0 ? a : b).recordNanos(i * 1_000_000L);
    }
    Samples.Sorted sorted = Samples.merge(List.of(a, b));
    assertThat(sorted.count()).isEqualTo(100);
    assertThat(sorted.percentileMillis(50)).isEqualTo(50.0);
    assertThat(sorted.percentileMillis(90)).isEqualTo(90.0);
    assertThat(sorted.percentileMillis(99)).isEqualTo(99.0);
    assertThat(sorted.percentileMillis(100)).isEqualTo(100.0);
    assertThat(sorted.maxMillis()).isEqualTo(100.0);
    assertThat(sorted.percentileMillis(0)).isEqualTo(1.0);
  }

  @Test
  void smallSetsRoundTheRankUp() {
    Samples.Sorted three = of(3000, 1000, 2000);
    assertThat(three.percentileMillis(50)).isEqualTo(2.0);
    assertThat(three.percentileMillis(99)).isEqualTo(3.0);
    assertThat(of(7).percentileMillis(50)).isEqualTo(0.007);
  }

  @Test
  void emptyIsNaNAndNegativeIsZero() {
    assertThat(of().percentileMillis(50)).isNaN();
    assertThat(of().maxMillis()).isNaN();
    Samples s = new Samples(10);
    s.recordNanos(-5_000);
    assertThat(Samples.merge(List.of(s)).maxMillis()).isEqualTo(0.0);
  }

  @Test
  void recordingStopsAtTheCapAndCountsTheRest() {
    Samples s = new Samples(3);
    for (int i = 0; i < 5; i++) {
      s.recordNanos(1_000);
    }
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.dropped()).isEqualTo(2);
  }
}
