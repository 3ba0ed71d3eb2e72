package dev.relay.service.ops;

import java.util.concurrent.CompletionStage;

/**
 * One condition a service needs before it should get traffic (the engine answers, the stream
 * consumer runs, the service is not draining). {@code GET /readyz} is 200 only when every check
 * registered as a bean is ready. Framework-free: implement it anywhere and expose it as a bean.
 */
public interface ReadinessCheck {

  /** A short stable name reported by {@code /readyz}, e.g. {@code engine}. */
  String name();

  /**
   * Completes with true when ready. Completing with false or exceptionally, or not completing
   * within the probe timeout, all mean not ready. Must not block the calling thread.
   */
  CompletionStage<Boolean> check();
}
