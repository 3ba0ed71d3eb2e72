package dev.relay.service.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs every {@link ReadinessCheck} concurrently and reports the ones that are not ready. A check
 * that throws, fails or takes longer than the timeout counts as failing, so a hung dependency
 * cannot hang {@code /readyz}. Thread-safe.
 */
public final class ReadinessProbe {

  /** The outcome: ready when {@code failing} is empty; names sorted. */
  public record Report(boolean ready, List<String> failing) {}

  private final List<ReadinessCheck> checks;
  private final Duration timeout;

  public ReadinessProbe(List<ReadinessCheck> checks, Duration timeout) {
    this.checks = List.copyOf(checks);
    this.timeout = timeout;
  }

  public CompletableFuture<Report> probe() {
    List<CompletableFuture<String>> outcomes = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      outcomes.add(run(check));
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              List<String> failing =
                  outcomes.stream()
                      .map(CompletableFuture::join)
                      .filter(name -> name != null)
                      .sorted()
                      .toList();
              return new Report(failing.isEmpty(), failing);
            });
  }

  /** Completes with null when ready, with the check's name when not; never exceptionally. */
  private CompletableFuture<String> run(ReadinessCheck check) {
    CompletableFuture<Boolean> result;
    try {
      result = check.check().toCompletableFuture();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .copy()
        .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (ready, error) -> error == null && Boolean.TRUE.equals(ready) ? null : check.name());
  }
}
