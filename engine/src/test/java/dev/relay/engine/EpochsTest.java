package dev.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochsTest {

  @Test
  void anEpochIsSixToEightBase36CharactersAndDrawsDoNotRepeat() {
    Set<String> drawn = new HashSet<>();
    Set<Integer> lengths = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String epoch = Epochs.random();
      assertThat(epoch).matches("[0-9a-z]{6,8}");
      lengths.add(epoch.length());
      drawn.add(epoch);
    }
    assertThat(lengths).containsExactlyInAnyOrder(6, 7, 8);
    // 1,000 draws from at least 36^6 (2.2 billion) names: a repeat is a broken generator
    assertThat(drawn).hasSizeGreaterThanOrEqualTo(999);
  }
}
