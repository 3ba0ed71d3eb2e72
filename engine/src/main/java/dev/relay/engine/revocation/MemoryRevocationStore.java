package dev.relay.engine.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link RevocationStore} for one process: the local set is the whole store. Listeners run on the
 * daemon thread {@code relay-revocations}, in revocation order.
 */
public final class MemoryRevocationStore implements RevocationStore {

  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "relay-revocations");
            thread.setDaemon(true);
            return thread;
          });
  private final RevokedSet revoked;

  /**
   * @param grace how long after a token's {@code exp} its jti is kept (default 30 s)
   */
  public MemoryRevocationStore(Duration grace) {
    this.revoked = new RevokedSet(grace, notifier);
  }

  public MemoryRevocationStore() {
    this(Duration.ofSeconds(30));
  }

  @Override
  public CompletionStage<Void> start() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> revoke(String jti, Instant exp) {
    long until = revoked.keepUntil(exp);
    revoked.prune();
    if (until <= RevokedSet.nowSeconds()) {
      return CompletableFuture.completedFuture(false);
    }
    revoked.add(jti, until);
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public boolean isRevoked(String jti) {
    return revoked.contains(jti);
  }

  @Override
  public void addListener(RevocationListener listener) {
    revoked.addListener(listener);
  }

  @Override
  public void close() {
    notifier.shutdown();
  }
}
