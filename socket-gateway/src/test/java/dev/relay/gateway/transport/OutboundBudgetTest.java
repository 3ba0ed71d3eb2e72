package dev.relay.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class OutboundBudgetTest {

  @Test
  void admitsUpToTheBudgetAndCountsEachOverflow() {
    AtomicInteger counted = new AtomicInteger();
    OutboundBudget budget = new OutboundBudget(1024 * 1024, counted::incrementAndGet);
    assertThat(budget.admits(0, 1024 * 1024)).isTrue();
    assertThat(budget.admits(1024 * 1024 - 10, 10)).isTrue();
    assertThat(budget.admits(1024 * 1024 - 10, 11)).isFalse();
    budget.overflowed("websocket x", 1024 * 1024);
    assertThat(counted).hasValue(1);
    assertThat(budget.overflows()).isEqualTo(1);
  }

  @Test
  void refusesABudgetTooSmallToHoldAFrame() {
    assertThatThrownBy(() -> new OutboundBudget(100, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void utf8LengthNeverUndercounts(@ForAll String text) {
    assertThat(OutboundBudget.utf8Length(text))
        .isGreaterThanOrEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void utf8LengthIsExactForWellFormedText() {
    String text = "a é € 😀 {\"room\":\"team:1\"}";
    assertThat(OutboundBudget.utf8Length(text))
        .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void logTextIsCutAndCannotForgeLines() {
    assertThat(LogText.cut("a\nb\tc")).isEqualTo("a?b?c");
    assertThat(LogText.cut("x".repeat(500))).hasSize(LogText.MAX + 1).endsWith("…");
    assertThat(LogText.cut(null)).isNull();
  }
}
