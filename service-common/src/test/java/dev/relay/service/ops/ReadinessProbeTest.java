package dev.relay.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ReadinessProbeTest {

  private static ReadinessCheck check(String name, CompletionStage<Boolean> result) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompletionStage<Boolean> check() {
        return result;
      }
    };
  }

  private static ReadinessCheck throwing(String name) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompletionStage<Boolean> check() {
        throw new IllegalStateException("broken");
      }
    };
  }

  @Test
  void readyWhenEveryCheckIsReady() {
    ReadinessProbe probe =
        new ReadinessProbe(
            List.of(check("a", CompletableFuture.completedFuture(true))), Duration.ofSeconds(1));
    assertThat(probe.probe().join()).isEqualTo(new ReadinessProbe.Report(true, List.of()));
  }

  @Test
  void namesFailingThrowingFalseAndHungChecks() {
    ReadinessProbe probe =
        new ReadinessProbe(
            List.of(
                check("ok", CompletableFuture.completedFuture(true)),
                check("false", CompletableFuture.completedFuture(false)),
                check("failed", CompletableFuture.failedFuture(new RuntimeException("down"))),
                check("hung", new CompletableFuture<>()),
                throwing("throws")),
            Duration.ofMillis(100));

    ReadinessProbe.Report report = probe.probe().join();

    assertThat(report.ready()).isFalse();
    assertThat(report.failing()).containsExactly("failed", "false", "hung", "throws");
  }
}
