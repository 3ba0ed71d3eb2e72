package dev.relay.engine.webhook;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * {@link WebhookQueue} in Redis: a sorted set of due times ({@code {relay:webhooks}:due}, id → due,
 * Unix ms) next to a hash of bodies ({@code :jobs}) and one of attempt counts and first-queued
 * times ({@code :meta}). A claim ({@code claim.lua}) takes the due ids and moves each one's due
 * time to the end of its lease in the same atomic step; so a job whose gateway dies is simply due
 * again when the lease ends, and backoff is the same operation with a longer delay. Times are
 * Redis's own clock ({@code TIME}), so gateways' clocks do not matter. Dead letters: the count
 * {@code :dead:count} and the last {@code deadKept} in the list {@code :dead}.
 *
 * <p>All keys share the hash tag {@code {relay:webhooks}}, so on Redis Cluster they live on one
 * shard and every script is atomic there. Memory is bounded by {@code capacity} jobs (each at most
 * a client event's size) plus {@code deadKept} dead letters.
 */
public final class RedisWebhookQueue implements WebhookQueue {

  static final String PREFIX = "{relay:webhooks}";
  private static final String[] KEYS = {
    PREFIX + ":due", PREFIX + ":jobs", PREFIX + ":meta", PREFIX + ":dead", PREFIX + ":dead:count"
  };
  private static final RedisScript ENQUEUE =
      RedisScript.load(RedisWebhookQueue.class, "enqueue.lua");
  private static final RedisScript CLAIM = RedisScript.load(RedisWebhookQueue.class, "claim.lua");
  private static final RedisScript RETRY = RedisScript.load(RedisWebhookQueue.class, "retry.lua");
  private static final RedisScript REMOVE = RedisScript.load(RedisWebhookQueue.class, "remove.lua");

  private final RedisConnections redis;
  private final int capacity;
  private final int deadKept;

  /** {@code redis} is shared and not closed by {@link #close()}. */
  public RedisWebhookQueue(RedisConnections redis, int capacity, int deadKept) {
    this.redis = Objects.requireNonNull(redis, "redis");
    if (capacity < 1 || deadKept < 0) {
      throw new IllegalArgumentException("capacity must be positive and deadKept not negative");
    }
    this.capacity = capacity;
    this.deadKept = deadKept;
  }

  @Override
  public CompletionStage<Boolean> enqueue(String id, String body) {
    return redis.call(
        "webhook enqueue",
        c ->
            ENQUEUE
                .<Long>run(
                    c, ScriptOutputType.INTEGER, keys(3), id, body, Integer.toString(capacity))
                .thenApply(queued -> queued == 1L));
  }

  @Override
  public CompletionStage<List<WebhookJob>> claim(int max, Duration lease) {
    return redis.call(
        "webhook claim",
        c ->
            CLAIM
                .<List<Object>>run(
                    c,
                    ScriptOutputType.MULTI,
                    keys(3),
                    Integer.toString(max),
                    Long.toString(lease.toMillis()))
                .thenApply(RedisWebhookQueue::jobs));
  }

  @Override
  public CompletionStage<Void> delivered(String id) {
    return remove(id, "done");
  }

  @Override
  public CompletionStage<Void> retry(String id, Duration delay) {
    return redis.call(
        "webhook retry",
        c ->
            RETRY
                .<Long>run(
                    c, ScriptOutputType.INTEGER, keys(2), id, Long.toString(delay.toMillis()))
                .thenApply(n -> (Void) null));
  }

  @Override
  public CompletionStage<Void> deadLetter(String id) {
    return remove(id, "dead");
  }

  @Override
  public CompletionStage<Long> deadLettered() {
    return redis.call(
        "webhook dead count",
        c -> c.get(KEYS[4]).thenApply(v -> v == null ? 0L : Long.parseLong(v)));
  }

  @Override
  public CompletionStage<Long> size() {
    return redis.call("webhook size", c -> c.hlen(KEYS[1]));
  }

  @Override
  public int capacity() {
    return capacity;
  }

  /** Nothing to release: the connections belong to whoever passed them in. */
  @Override
  public void close() {}

  private CompletionStage<Void> remove(String id, String how) {
    return redis.call(
        "webhook " + how,
        c ->
            REMOVE
                .<Long>run(c, ScriptOutputType.INTEGER, KEYS, id, how, Integer.toString(deadKept))
                .thenApply(n -> (Void) null));
  }

  private static String[] keys(int count) {
    String[] keys = new String[count];
    System.arraycopy(KEYS, 0, keys, 0, count);
    return keys;
  }

  private static List<WebhookJob> jobs(List<Object> flat) {
    List<WebhookJob> jobs = new ArrayList<>(flat.size() / 4);
    for (int i = 0; i + 3 < flat.size(); i += 4) {
      jobs.add(
          new WebhookJob(
              (String) flat.get(i),
              (String) flat.get(i + 1),
              Integer.parseInt((String) flat.get(i + 2)),
              Instant.ofEpochMilli(Long.parseLong((String) flat.get(i + 3)))));
    }
    return jobs;
  }
}
