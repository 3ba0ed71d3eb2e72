package dev.relay.engine.redis;

import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.ReadBatch;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.StreamPositions;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * How {@link RedisEventLog#read} reads every partition: {@link MultiStreamReader} on one server
 * (one {@code XREAD} over all streams), {@link FanOutReader} on a cluster (the streams live on
 * different masters, and Redis Cluster refuses a command whose keys span slots).
 */
interface PartitionReader {

  /** Exactly {@link dev.relay.engine.EventLog#read}'s contract; arguments already validated. */
  CompletionStage<ReadBatch> read(StreamPositions after, int maxPerPartition, Duration block);

  /** Stream key → partition number, for mapping {@code XREAD} replies back. */
  static Map<String, Integer> partitionsByKey(RedisKeyLayout layout) {
    Map<String, Integer> byKey = new HashMap<>();
    for (int p = 0; p < layout.partitions(); p++) {
      byKey.put(layout.streamKey(p), p);
    }
    return Map.copyOf(byKey);
  }

  /**
   * The batch for {@code messages} read after {@code after}: each partition's position moves to its
   * last entry (also past malformed entries, which are skipped), and each partition that returned
   * events reports its current epoch. {@code messages} must be in append order within each
   * partition; {@code unreadable} are the partitions whose read failed (their positions stay).
   */
  static ReadBatch toBatch(
      StreamPositions after,
      List<StreamMessage<String, String>> messages,
      Map<String, Integer> partitionOfKey,
      Set<Integer> unreadable) {
    List<StoredEvent> events = new ArrayList<>(messages.size());
    Map<Integer, String> epochs = new HashMap<>();
    StreamPositions next = after;
    for (StreamMessage<String, String> message : messages) {
      int partition = partitionOfKey.get(message.getStream());
      next = next.with(partition, message.getId());
      StoredEvent event = RedisEventLog.toEvent(partition, message);
      if (event != null) {
        events.add(event);
        epochs.put(partition, event.id().epoch());
      }
    }
    return new ReadBatch(List.copyOf(events), next, Map.copyOf(epochs), Set.copyOf(unreadable));
  }
}
