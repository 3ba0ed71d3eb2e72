package dev.relay.engine.redis;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.StreamPositions;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads every partition with one blocking {@code XREAD} over all partition streams, on a dedicated
 * connection from the pool; Redis returns as soon as any stream has entries. Only for one server:
 * the streams must live on one node.
 */
final class MultiStreamReader implements PartitionReader {

  private final RedisConnections redis;
  private final RedisKeyLayout layout;
  private final Map<String, Integer> partitionOfKey;

  MultiStreamReader(RedisConnections redis, RedisKeyLayout layout) {
    this.redis = redis;
    this.layout = layout;
    this.partitionOfKey = PartitionReader.partitionsByKey(layout);
  }

  @Override
  public CompletionStage<ReadBatch> read(
      StreamPositions after, int maxPerPartition, Duration block) {
    @SuppressWarnings("unchecked")
    XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[layout.partitions()];
    for (int p = 0; p < offsets.length; p++) {
      offsets[p] = XReadArgs.StreamOffset.from(layout.streamKey(p), after.get(p));
    }
    XReadArgs args = XReadArgs.Builder.count(maxPerPartition);
    if (!block.isZero()) {
      args.block(block);
    }
    CompletableFuture<ReadBatch> result = new CompletableFuture<>();
    redis
        .acquireReader(block)
        .whenComplete(
            (link, connectFailure) -> {
              if (connectFailure != null) {
                result.completeExceptionally(redis.failed("read", connectFailure));
                return;
              }
              link.async()
                  .xread(args, offsets)
                  .whenComplete(
                      (messages, failure) -> {
                        redis.release(link, failure == null);
                        if (failure != null) {
                          result.completeExceptionally(redis.failed("read", failure));
                        } else {
                          try {
                            result.complete(
                                PartitionReader.toBatch(after, messages, partitionOfKey, Set.of()));
                          } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                          }
                        }
                      });
            });
    return result;
  }
}
