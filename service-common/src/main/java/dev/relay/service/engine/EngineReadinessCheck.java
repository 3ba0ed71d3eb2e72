package dev.relay.service.engine;

import dev.relay.engine.EventLog;
import dev.relay.service.ops.ReadinessCheck;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionStage;

/** Ready while the engine answers a ping (Redis reachable; always for the memory engine). */
@Singleton
public class EngineReadinessCheck implements ReadinessCheck {

  private final EventLog eventLog;

  public EngineReadinessCheck(EventLog eventLog) {
    this.eventLog = eventLog;
  }

  @Override
  public String name() {
    return "engine";
  }

  @Override
  public CompletionStage<Boolean> check() {
    return eventLog.ping().thenApply(ignored -> true);
  }
}
