package dev.relay.engine.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamIdOrderTest {

  @Test
  void comparesMillisThenSequenceAsNumbers() {
    assertThat(StreamIdOrder.after("1700000000001-0", "1700000000000-9")).isTrue();
    assertThat(StreamIdOrder.after("1700000000000-10", "1700000000000-9")).isTrue();
    assertThat(StreamIdOrder.after("1700000000000-9", "1700000000000-9")).isFalse();
    assertThat(StreamIdOrder.after("999-0", "1000-0")).isFalse();
  }

  @Test
  void anIdThatDoesNotParseIsNeverAfter() {
    assertThat(StreamIdOrder.after("0-0", "garbage")).isFalse();
    assertThat(StreamIdOrder.after("garbage", "0-0")).isFalse();
    assertThat(StreamIdOrder.after("-1", "0-0")).isFalse();
  }
}
