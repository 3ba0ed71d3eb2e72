package dev.relay.publish.ratelimit;

import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publish limits per client IP and per room (SPEC §2 defaults: 1,000 events/s per IP, 100 events/s
 * per room with bursts of 200), held in the shared {@link RateLimiter} so every publish-api
 * instance counts against the same buckets. The IP bucket is taken first; a refused IP does not
 * spend the room's tokens. When Redis is down the limiter fails open (the append then answers 503
 * anyway).
 */
public final class StorePublishRateLimiter implements PublishRateLimiter {

  private final RateLimiter limiter;
  private final Limit perIp;
  private final Limit perRoom;

  public StorePublishRateLimiter(RateLimiter limiter, Limit perIp, Limit perRoom) {
    this.limiter = limiter;
    this.perIp = perIp;
    this.perRoom = perRoom;
  }

  @Override
  public CompletionStage<Decision> acquire(String clientIp, String room) {
    CompletionStage<RateDecision> ip =
        clientIp == null
            ? CompletableFuture.completedFuture(new RateDecision(true, 0))
            : limiter.tryAcquire("pub:ip:" + clientIp, perIp, 1);
    return ip.thenCompose(
        byIp -> {
          if (!byIp.allowed()) {
            return CompletableFuture.completedFuture(Decision.refuse(byIp.retryAfterSeconds()));
          }
          return limiter
              .tryAcquire("pub:room:" + room, perRoom, 1)
              .thenApply(
                  byRoom ->
                      byRoom.allowed()
                          ? Decision.ALLOW
                          : Decision.refuse(byRoom.retryAfterSeconds()));
        });
  }
}
