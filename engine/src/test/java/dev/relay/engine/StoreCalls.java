package dev.relay.engine;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waiting on store calls in tests, with a bound so a hung call fails the test. */
public final class StoreCalls {

  private StoreCalls() {}

  public static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call did not succeed", e);
    }
  }
}
