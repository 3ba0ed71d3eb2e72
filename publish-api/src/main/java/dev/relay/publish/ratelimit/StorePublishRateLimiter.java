package dev.relay.publish.ratelimit;

import dev.relay.engine.EventLog;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RateLimiter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publish limits per client IP and per room (SPEC §2 defaults: 1,000 events/s per IP, 100 events/s
 * per room with bursts of 200), shared by every publish-api instance. The IP bucket ({@code
 * relay:rl:pub:ip:<ip>}) is cross-room, so it stays in the shared {@link RateLimiter}, taken
 * through {@link IpLeases} (most publishes make no round trip for it). The room bucket ({@code
 * relay:{R}:rl}) is on the room's slot and taken by the {@link EventLog} in the append; a stream
 * takes its one room token with {@link EventLog#takeRoomToken}. When Redis is down the limits fail
 * open (the append then answers 503 anyway).
 */
public final class StorePublishRateLimiter implements PublishRateLimiter {

  private final IpLeases perIp;
  private final Limit perRoom;
  private final EventLog eventLog;

  public StorePublishRateLimiter(
      RateLimiter limiter, Limit perIp, Limit perRoom, EventLog eventLog) {
    this.perIp = new IpLeases(limiter, perIp);
    this.perRoom = perRoom;
    this.eventLog = eventLog;
  }

  @Override
  public CompletionStage<Decision> acquireIp(String clientIp) {
    return clientIp == null
        ? CompletableFuture.completedFuture(Decision.ALLOW)
        : perIp.acquire("pub:ip:" + clientIp).thenApply(Decision::of);
  }

  @Override
  public Limit perRoom() {
    return perRoom;
  }

  @Override
  public CompletionStage<Decision> acquireStream(String clientIp, String room) {
    return acquireIp(clientIp)
        .thenCompose(
            byIp ->
                byIp.allowed()
                    ? eventLog.takeRoomToken(room, perRoom).thenApply(Decision::of)
                    : CompletableFuture.completedFuture(byIp));
  }
}
