package dev.relay.engine.redis;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Epochs;
import dev.relay.engine.TruncatedPartition;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link RedisEventLog#verifyPositions}: one {@code verify-position.lua} per partition to check,
 * pipelined on the command connection (on a Redis Cluster, each goes to the master of its
 * partition's slot). The script decides atomically whether the reader's last entry P is still
 * stored, could have been trimmed by retention, or was lost, and in the last case moves the
 * partition to a new epoch unless another reader already did.
 *
 * <p>When P could have been trimmed: trimming ({@code XADD … MINID ~ <now − retention>} in {@code
 * append.lua}) removes only a prefix of the stream, so P missing while an entry at or before P
 * survives is a loss. With nothing left at or before P, P counts as trimmed only if the newest
 * entry is more than the retention minus {@link #CLOCK_MARGIN} younger than P: only such an append
 * can have trimmed it. This assumes every service runs with the same retention.
 */
final class RedisTruncationCheck {

  /**
   * How far a publisher's clock, which sets the trimming threshold, may run ahead of Redis's, which
   * sets the ids. A larger skew can make a legitimately trimmed position look lost: its partition
   * then changes epoch needlessly, which costs a reconnect and {@code recovered:false}, never an
   * event.
   */
  static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

  private static final RedisScript SCRIPT =
      RedisScript.load(RedisTruncationCheck.class, "verify-position.lua");

  private final RedisKeyLayout layout;
  private final Duration retention;

  RedisTruncationCheck(RedisKeyLayout layout, Duration retention) {
    this.layout = layout;
    this.retention = retention;
  }

  CompletionStage<List<TruncatedPartition>> verify(
      RedisClusterAsyncCommands<String, String> c, Map<Integer, EventId> lastRead) {
    Map<Integer, CompletableFuture<List<Object>>> checks = new TreeMap<>();
    lastRead.forEach(
        (partition, id) -> {
          String[] keys = {layout.streamKey(partition), layout.epochKey(partition)};
          CompletionStage<List<Object>> check =
              SCRIPT.run(
                  c,
                  ScriptOutputType.MULTI,
                  keys,
                  id.streamId(),
                  id.epoch(),
                  Epochs.random(),
                  Long.toString(retention.toMillis()),
                  Long.toString(CLOCK_MARGIN.toMillis()));
          checks.put(partition, check.toCompletableFuture());
        });
    return CompletableFuture.allOf(checks.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<TruncatedPartition> truncated = new ArrayList<>();
              checks.forEach(
                  (partition, check) -> {
                    List<Object> reply = check.join();
                    switch (String.valueOf(reply.get(0))) {
                      case "gone" ->
                          truncated.add(
                              new TruncatedPartition(partition, null, EventId.STREAM_START));
                      case "truncated" ->
                          truncated.add(
                              new TruncatedPartition(
                                  partition, (String) reply.get(1), (String) reply.get(2)));
                      case "present", "trimmed" -> {}
                      default ->
                          throw new IllegalStateException(
                              "unexpected reply of " + SCRIPT + ": " + reply);
                    }
                  });
              return List.copyOf(truncated);
            });
  }
}
