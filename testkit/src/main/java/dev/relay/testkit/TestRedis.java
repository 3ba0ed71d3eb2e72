package dev.relay.testkit;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The Redis that ordinary integration tests share: {@code REDIS_URL} when set (as {@code .ci/run}
 * does), otherwise one {@link RedisProcess} started on first use and stopped when the JVM exits.
 * Tests that kill or restart Redis must start their own {@link RedisProcess} instead.
 *
 * <p>Tests that need a key space of their own (to {@code FLUSHDB} it) use {@link #url(int)} with a
 * database reserved here: 9 is the engine's ({@code RedisEventLogIT}); 10 presence, 11 Socket.IO
 * sessions, 12 revocations, 13 rate limits (the engine's store ITs). Database 0 is shared. Pub/Sub
 * channels are not per database: tests that publish must use unique payloads.
 */
public final class TestRedis {

  private static String url;

  private TestRedis() {}

  public static synchronized String url() {
    if (url == null) {
      String fromEnv = System.getenv("REDIS_URL");
      if (fromEnv != null && !fromEnv.isBlank()) {
        url = fromEnv;
      } else {
        RedisProcess redis = RedisProcess.start();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "test-redis-stop"));
        url = redis.url();
      }
    }
    return url;
  }

  /** The shared Redis, database {@code database} (any database in the URL is replaced). */
  public static String url(int database) {
    URI base = URI.create(url());
    try {
      return new URI(
              base.getScheme(),
              base.getUserInfo(),
              base.getHost(),
              base.getPort(),
              "/" + database,
              base.getQuery(),
              base.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("REDIS_URL is not a valid URI: " + base, e);
    }
  }
}
