package dev.relay.engine.session;

import dev.relay.engine.redis.RedisConnections;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link SessionStore} in Redis: one string key per session, {@code relay:sio:session:<pid>},
 * written with a single {@code SET … PX ttl} so value and TTL are set atomically; Redis expires it.
 * One round trip per call.
 */
public final class RedisSessionStore implements SessionStore {

  private static final String PREFIX = "relay:sio:session:";

  private final RedisConnections redis;

  /** {@code redis} is shared and not closed by {@link #close()}. */
  public RedisSessionStore(RedisConnections redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  @Override
  public CompletionStage<Void> save(String pid, String sub, List<String> rooms, Duration ttl) {
    requireTtl(ttl);
    String value = new SavedSession(sub, rooms).encode();
    return redis.call(
        "session save",
        c ->
            c.set(PREFIX + pid, value, SetArgs.Builder.px(ttl.toMillis()))
                .thenApply(ok -> (Void) null));
  }

  @Override
  public CompletionStage<Optional<SavedSession>> load(String pid) {
    return redis.call(
        "session load",
        c ->
            c.get(PREFIX + pid)
                .thenApply(value -> Optional.ofNullable(value).map(SavedSession::decode)));
  }

  @Override
  public CompletionStage<Void> delete(String pid) {
    return redis.call("session delete", c -> c.del(PREFIX + pid).thenApply(n -> (Void) null));
  }

  /** Nothing to release: the connections belong to whoever passed them in. */
  @Override
  public void close() {}

  static void requireTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms: " + ttl);
    }
  }
}
