package dev.relay.engine.redis;

import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Replay;
import dev.relay.engine.Replay.Outcome;
import dev.relay.engine.StoredEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Replays one room from a partition stream, answering {@code COMPLETE} only with proof that nothing
 * after {@code since} is missing:
 *
 * <ol>
 *   <li>Probe (pipelined): the partition's epoch, {@code XINFO STREAM}'s {@code last-generated-id}
 *       and the first entry. Another epoch, or no stream → {@code EPOCH_CHANGED}; {@code since}
 *       after the last generated id → {@code UNKNOWN_ID}; equal → {@code COMPLETE}, no events; no
 *       entry, or a first entry after {@code since} → {@code TRIMMED}.
 *   <li>Scan {@code (since, last-generated]} in pages of {@value #PAGE} with {@code XRANGE},
 *       keeping the room's non-volatile events; more than {@code maxEvents} of them, or more than
 *       the scan limit of entries → {@code TOO_MANY}. At most one page and {@code maxEvents + 1}
 *       events are in memory.
 *   <li>Verify (pipelined): the epoch is unchanged and the first entry is still at or before {@code
 *       since}. Trimming only removes a prefix of the stream and a lost stream gets a new epoch, so
 *       this proves no page missed an entry.
 * </ol>
 */
final class RedisReplay {

  static final int PAGE = 500;

  private final RedisKeyLayout layout;
  private final int scanLimit;

  RedisReplay(RedisKeyLayout layout, int scanLimit) {
    this.layout = layout;
    this.scanLimit = scanLimit;
  }

  CompletionStage<Replay> replay(
      RedisClusterAsyncCommands<String, String> c, String room, EventId since, int maxEvents) {
    int partition = layout.partitionOf(room);
    String key = layout.streamKey(partition);
    CompletableFuture<String> epoch = c.get(layout.epochKey(partition)).toCompletableFuture();
    CompletableFuture<String> lastGenerated =
        c.xinfoStream(key).toCompletableFuture().handle(RedisReplay::lastGeneratedId);
    CompletableFuture<List<StreamMessage<String, String>>> first = firstEntry(c, key);
    return CompletableFuture.allOf(epoch, lastGenerated, first)
        .thenCompose(
            probed -> {
              String sinceId = since.streamId();
              String last = lastGenerated.join();
              if (!since.epoch().equals(epoch.join()) || last == null) {
                return refused(Outcome.EPOCH_CHANGED);
              }
              int cmp = StreamIds.compare(sinceId, last);
              if (cmp > 0) {
                return refused(Outcome.UNKNOWN_ID);
              }
              if (cmp == 0) {
                return CompletableFuture.completedFuture(Replay.complete(List.of()));
              }
              if (!startsAtOrBefore(first.join(), sinceId)) {
                return refused(Outcome.TRIMMED);
              }
              Scan scan = new Scan(c, key, partition, room, last, maxEvents);
              return scan.page(StreamIds.successor(sinceId))
                  .thenCompose(
                      done ->
                          scan.tooMany
                              ? refused(Outcome.TOO_MANY)
                              : verify(c, partition, since, scan.events));
            });
  }

  private CompletionStage<Replay> verify(
      RedisClusterAsyncCommands<String, String> c,
      int partition,
      EventId since,
      List<StoredEvent> events) {
    CompletableFuture<String> epoch = c.get(layout.epochKey(partition)).toCompletableFuture();
    CompletableFuture<List<StreamMessage<String, String>>> first =
        firstEntry(c, layout.streamKey(partition));
    return CompletableFuture.allOf(epoch, first)
        .thenApply(
            checked -> {
              if (!since.epoch().equals(epoch.join())) {
                return Replay.refused(Outcome.EPOCH_CHANGED);
              }
              if (!startsAtOrBefore(first.join(), since.streamId())) {
                return Replay.refused(Outcome.TRIMMED);
              }
              return Replay.complete(events);
            });
  }

  /** One replay's bounded forward scan; used by one chain of page reads at a time. */
  private final class Scan {
    private final RedisClusterAsyncCommands<String, String> c;
    private final String key;
    private final int partition;
    private final String room;
    private final String end;
    private final int maxEvents;
    private final List<StoredEvent> events = new ArrayList<>();
    private int scanned;
    private boolean tooMany;

    Scan(
        RedisClusterAsyncCommands<String, String> c,
        String key,
        int partition,
        String room,
        String end,
        int maxEvents) {
      this.c = c;
      this.key = key;
      this.partition = partition;
      this.room = room;
      this.end = end;
      this.maxEvents = maxEvents;
    }

    CompletionStage<Void> page(String from) {
      return c.xrange(key, Range.create(from, end), Limit.from(PAGE))
          .thenCompose(
              entries -> {
                for (StreamMessage<String, String> entry : entries) {
                  keep(entry);
                  if (tooMany) {
                    return CompletableFuture.completedFuture(null);
                  }
                }
                if (entries.size() < PAGE) {
                  return CompletableFuture.completedFuture(null);
                }
                String lastId = entries.get(entries.size() - 1).getId();
                return StreamIds.compare(lastId, end) >= 0
                    ? CompletableFuture.completedFuture(null)
                    : page(StreamIds.successor(lastId));
              });
    }

    private void keep(StreamMessage<String, String> entry) {
      scanned++;
      if (scanned > scanLimit) {
        tooMany = true;
        return;
      }
      if (!room.equals(entry.getBody().get(RedisEventLog.ROOM))
          || "1".equals(entry.getBody().get(RedisEventLog.VOLATILE))) {
        return;
      }
      StoredEvent event = RedisEventLog.toEvent(partition, entry);
      if (event != null) {
        events.add(event);
        tooMany = events.size() > maxEvents;
      }
    }
  }

  private static CompletableFuture<List<StreamMessage<String, String>>> firstEntry(
      RedisClusterAsyncCommands<String, String> c, String key) {
    return c.xrange(key, Range.unbounded(), Limit.from(1)).toCompletableFuture();
  }

  private static boolean startsAtOrBefore(
      List<StreamMessage<String, String>> first, String sinceId) {
    return !first.isEmpty() && StreamIds.compare(first.get(0).getId(), sinceId) <= 0;
  }

  /** {@code last-generated-id} from an {@code XINFO STREAM} reply; null when there is no stream. */
  private static String lastGeneratedId(List<Object> info, Throwable failure) {
    if (failure != null) {
      Throwable cause = RedisConnections.unwrap(failure);
      if (cause instanceof RedisCommandExecutionException
          && String.valueOf(cause.getMessage()).contains("no such key")) {
        return null;
      }
      throw new CompletionException(cause);
    }
    for (int i = 0; i + 1 < info.size(); i += 2) {
      if ("last-generated-id".equals(info.get(i))) {
        return String.valueOf(info.get(i + 1));
      }
    }
    throw new IllegalStateException("XINFO STREAM reply without last-generated-id");
  }

  private static CompletableFuture<Replay> refused(Outcome outcome) {
    return CompletableFuture.completedFuture(Replay.refused(outcome));
  }
}
