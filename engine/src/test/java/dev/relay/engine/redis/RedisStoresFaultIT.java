package dev.relay.engine.redis;

import static dev.relay.engine.StoreCalls.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.presence.RedisPresenceStore;
import dev.relay.engine.ratelimit.Limit;
import dev.relay.engine.ratelimit.RedisRateLimiter;
import dev.relay.engine.revocation.RedisRevocationStore;
import dev.relay.engine.session.RedisSessionStore;
import dev.relay.testkit.RedisProcess;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stores while Redis is killed and restarted, on a Redis process of each test's own. */
class RedisStoresFaultIT {

  private static final Duration FAST = Duration.ofSeconds(3);

  private RedisProcess redis;
  private RedisConnections first;
  private RedisConnections second;
  private RedisRevocationStore revocations;
  private RedisRevocationStore otherRevocations;

  @BeforeEach
  void start() {
    redis = RedisProcess.start();
    first = new RedisConnections(redis.url(), Duration.ofSeconds(2));
    second = new RedisConnections(redis.url(), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    if (revocations != null) {
      revocations.close();
    }
    if (otherRevocations != null) {
      otherRevocations.close();
    }
    first.close();
    second.close();
    redis.close();
  }

  @Test
  void theRateLimiterFailsOpenWhileRedisIsDownAndLimitsAgainAfterwards() {
    RedisRateLimiter limiter = new RedisRateLimiter(first);
    Limit onePerHour = new Limit(1, 1, Duration.ofHours(1));
    assertThat(done(limiter.tryAcquire("ip:a", onePerHour, 1)).allowed()).isTrue();
    assertThat(done(limiter.tryAcquire("ip:a", onePerHour, 1)).allowed()).isFalse();

    redis.kill();

    assertThat(within(FAST, limiter.tryAcquire("ip:a", onePerHour, 1)).allowed()).isTrue();
    assertThat(within(FAST, limiter.tryAcquire("ip:a", onePerHour, 1)).allowed()).isTrue();

    redis.restart();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !done(limiter.tryAcquire("ip:a", onePerHour, 1)).allowed());
  }

  @Test
  void presenceAndSessionsFailFastWhileRedisIsDownAndWorkAfterwards() {
    RedisPresenceStore presence = new RedisPresenceStore(first, Duration.ofSeconds(30));
    RedisSessionStore sessions = new RedisSessionStore(first);
    done(presence.join("team:1", "alice", "c1", "gw-a"));

    redis.kill();

    assertUnavailable(presence.join("team:1", "bob", "c2", "gw-a"));
    assertUnavailable(presence.members("team:1"));
    assertUnavailable(sessions.load("pid-1"));

    redis.restart();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> within(FAST, presence.join("team:1", "bob", "c2", "gw-a")));
  }

  @Test
  void revocationsAnswerLocallyWhileRedisIsDownAndFollowAgainAfterARestart() {
    revocations = startedRevocations(first);
    otherRevocations = startedRevocations(second);
    String before = "jti-before";
    done(revocations.revoke(before, Instant.now().plusSeconds(300)));
    await().atMost(Duration.ofSeconds(2)).until(() -> otherRevocations.isRevoked(before));

    redis.kill();

    assertThat(otherRevocations.isRevoked(before)).isTrue();
    assertUnavailable(revocations.revoke("jti-during", Instant.now().plusSeconds(300)));

    redis.restart();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> within(FAST, revocations.revoke("jti-after", Instant.now().plusSeconds(300))));
    await().atMost(Duration.ofSeconds(5)).until(() -> otherRevocations.isRevoked("jti-after"));
    assertThat(otherRevocations.isRevoked(before)).as("kept locally after the data loss").isTrue();
  }

  @Test
  void aRevocationMissedWhileThePubSubConnectionWasDownIsLoadedOnReconnect() {
    otherRevocations = startedRevocations(second);
    List<String> heard = new CopyOnWriteArrayList<>();
    otherRevocations.addListener(heard::add);
    RedisClient admin = RedisClient.create(redis.url());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      long until = Instant.now().plusSeconds(300).getEpochSecond();
      connection.sync().zadd("relay:revoked", until, "jti-missed");
      assertThat(otherRevocations.isRevoked("jti-missed")).isFalse();

      connection.sync().clientKill(KillArgs.Builder.typePubsub());

      await().atMost(Duration.ofSeconds(5)).until(() -> otherRevocations.isRevoked("jti-missed"));
      await().atMost(Duration.ofSeconds(2)).until(() -> heard.equals(List.of("jti-missed")));
    } finally {
      admin.shutdown();
    }
  }

  private static RedisRevocationStore startedRevocations(RedisConnections redis) {
    RedisRevocationStore store =
        new RedisRevocationStore(redis, Duration.ofSeconds(30), Duration.ofMinutes(10));
    done(store.start());
    return store;
  }

  private static <T> T within(Duration limit, CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer within " + limit, e);
    }
  }

  private static void assertUnavailable(CompletionStage<?> stage) {
    assertThatThrownBy(
            () -> stage.toCompletableFuture().get(FAST.toMillis(), TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(EngineUnavailableException.class);
  }
}
