package dev.relay.engine.ratelimit;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.RedisTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against the shared test Redis, database 13; each limiter has its own client. */
class RedisRateLimiterIT extends RateLimiterContract {

  private static RedisTestDatabase redis;

  @BeforeAll
  static void connect() {
    redis = new RedisTestDatabase(13);
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void emptyDatabase() {
    redis.flush();
  }

  @AfterEach
  void closeConnections() {
    redis.closeConnections();
  }

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
