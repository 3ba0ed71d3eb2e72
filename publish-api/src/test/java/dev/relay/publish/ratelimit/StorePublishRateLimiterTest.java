package dev.relay.publish.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.Appended;
import dev.relay.engine.EventDraft;
import dev.relay.engine.memory.MemoryEventLog;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.MemoryRateLimiter;
import dev.relay.publish.ratelimit.PublishRateLimiter.Decision;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publish limits over the memory engine: the IP is taken first and a refused IP takes no room
 * token; a stream's room token comes from the bucket the appends take from.
 */
class StorePublishRateLimiterTest {

  private final MemoryEventLog log = new MemoryEventLog();
  private final StorePublishRateLimiter limits =
      new StorePublishRateLimiter(
          new MemoryRateLimiter(), Limit.perMinute(1), Limit.perMinute(1), log);

  @AfterEach
  void close() {
    log.close();
  }

  private static Decision done(CompletionStage<Decision> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  void aStreamRefusedByItsIpSpendsNoRoomToken() {
    assertThat(done(limits.acquireIp("10.0.0.1")).allowed()).isTrue();

    Decision refused = done(limits.acquireStream("10.0.0.1", "team:1"));

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.problem().status()).isEqualTo(429);
    assertThat(refused.problem().retryAfterSeconds()).isBetween(1, 60);
    // the room's one token is still there for another address
    assertThat(done(limits.acquireStream("10.0.0.2", "team:1")).allowed()).isTrue();
  }

  @Test
  void aStreamsRoomTokenIsTheOneTheAppendsTake() {
    assertThat(done(limits.acquireStream("10.0.0.1", "team:2")).allowed()).isTrue();

    Appended appended =
        log.append(
                new EventDraft("team:2", "session.ended", "{}", null, null, null, null)
                    .withRoomLimit(limits.perRoom()))
            .toCompletableFuture()
            .join();

    assertThat(appended.isRateLimited()).isTrue();
    assertThat(done(limits.acquireIp(null)).allowed()).isTrue();
  }
}
