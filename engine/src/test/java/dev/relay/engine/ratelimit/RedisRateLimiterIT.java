package dev.relay.engine.ratelimit;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.DatabasePerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against the shared test Redis, database 13; each limiter has its own client. */
class RedisRateLimiterIT extends RateLimiterContract {

  @RegisterExtension static final DatabasePerTest redis = new DatabasePerTest(13);

  @Override
  protected List<RateLimiter> openShared(int count) {
    List<RateLimiter> limiters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      limiters.add(new RedisRateLimiter(redis.connections()));
    }
    return limiters;
  }

  @Test
  void aBucketKeyExpiresOnceItWouldBeFullAgain() {
    RateLimiter limiter = new RedisRateLimiter(redis.connections());
    done(limiter.tryAcquire("ip:1.2.3.4", Limit.perSecond(10), 5));

    long ttl = redis.admin().sync().pttl("relay:rl:ip:1.2.3.4");

    assertThat(ttl).as("half the bucket refills in 500 ms, plus 1 s").isBetween(1L, 1_500L);
    assertThat(Duration.ofMillis(ttl)).isLessThanOrEqualTo(Duration.ofMillis(1_500));
  }
}
