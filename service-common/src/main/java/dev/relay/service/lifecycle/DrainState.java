package dev.relay.service.lifecycle;

import dev.relay.service.ops.ReadinessCheck;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether the service is shutting down. Set first thing on SIGTERM, so {@code /readyz} answers 503
 * at once (load balancers stop sending traffic) while the service drains. Thread-safe.
 */
@Singleton
public class DrainState implements ReadinessCheck {

  private volatile boolean draining;

  public void startDraining() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  @Override
  public String name() {
    return "not-draining";
  }

  @Override
  public CompletionStage<Boolean> check() {
    return CompletableFuture.completedFuture(!draining);
  }
}
