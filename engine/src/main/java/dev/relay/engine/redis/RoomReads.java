package dev.relay.engine.redis;

import dev.relay.contracts.EnvelopeCodec;
import dev.relay.contracts.EventId;
import dev.relay.contracts.redis.RedisKeyLayout;
import dev.relay.engine.Epochs;
import dev.relay.engine.EventLog;
import dev.relay.engine.History;
import dev.relay.engine.Replay;
import dev.relay.engine.StoredEvent;
import dev.relay.engine.stream.OpenMessage;
import dev.relay.engine.stream.OpenMessages;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The two reads of one room, each one atomic script on the room's slot: {@code head.lua} (the
 * room's epoch, created when missing, and its newest id) and {@code read.lua} (the entries after a
 * position, with the proof that none is missing, or the reason why not). {@link RedisEventLog}
 * replays with it and {@link RedisLiveSource} follows and repairs with it. See {@code read.lua} for
 * the rules and {@code docs/engine-redis-notes.md} for why they prove completeness. Thread-safe.
 */
final class RoomReads {

  private static final RedisScript HEAD = RedisScript.load(RoomReads.class, "head.lua");
  private static final RedisScript READ = RedisScript.load(RoomReads.class, "read.lua");
  private static final RedisScript HISTORY = RedisScript.load(RoomReads.class, "history.lua");
  private static final RedisScript SNAPSHOT = RedisScript.load(RoomReads.class, "snapshot.lua");
  private static final int FIELDS_PER_ENTRY = 5;
  private static final int HISTORY_FIELDS = 4;

  /** The most stream entries (volatile ones included) one history read scans. */
  static final int HISTORY_SCAN_LIMIT = 2_000;

  private final RedisConnections redis;
  private final RedisEngineSettings settings;

  RoomReads(RedisConnections redis, RedisEngineSettings settings) {
    this.redis = redis;
    this.settings = settings;
  }

  /**
   * The room's head, {@code <newest stream id>.<epoch>}; creates the epoch if the room has none.
   */
  CompletionStage<EventId> head(String room) {
    String[] keys = {RedisKeyLayout.roomStream(room), RedisKeyLayout.roomMeta(room)};
    String ttl = Long.toString(settings.roomTtl().toMillis());
    return redis.call(
        "head",
        c ->
            HEAD.<String>run(c, ScriptOutputType.VALUE, keys, Epochs.random(), ttl)
                .thenApply(
                    text ->
                        EventId.parse(text)
                            .orElseThrow(() -> new IllegalStateException("bad head " + text))));
  }

  /**
   * The entries after {@code after}, at most {@code max}, volatile ones only if asked; see {@link
   * dev.relay.engine.feed.LiveSource#read} for {@code markLoss}.
   */
  CompletionStage<Replay> read(
      String room, EventId after, int max, boolean withVolatile, boolean markLoss) {
    if (max < 0) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("max < 0"));
    }
    String[] keys = {RedisKeyLayout.roomStream(room), RedisKeyLayout.roomMeta(room)};
    String[] args = {
      after.streamId(),
      after.epoch(),
      Integer.toString(max),
      withVolatile ? "1" : "0",
      markLoss ? "1" : "0",
      Epochs.random(),
      Integer.toString(settings.replayScanLimit()),
      Long.toString(settings.roomTtl().toMillis())
    };
    return redis.call(
        markLoss ? "repair" : "replay",
        c ->
            READ.<List<Object>>run(c, ScriptOutputType.MULTI, keys, args)
                .thenApply(reply -> toReplay(room, after.epoch(), reply)));
  }

  /** One {@code history.lua}: see {@link dev.relay.engine.EventLog#history}. */
  CompletionStage<History> history(String room, int limit, EventId before) {
    if (limit < 1 || limit > EventLog.HISTORY_MAX) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("limit " + limit));
    }
    String[] keys = {RedisKeyLayout.roomStream(room), RedisKeyLayout.roomMeta(room)};
    String[] args = {
      before == null ? "" : before.streamId(),
      before == null ? "" : before.epoch(),
      Integer.toString(limit),
      Long.toString(Math.max(0, System.currentTimeMillis() - settings.retention().toMillis())),
      Integer.toString(HISTORY_SCAN_LIMIT)
    };
    return redis.call(
        "history",
        c ->
            HISTORY
                .<List<Object>>run(c, ScriptOutputType.MULTI, keys, args)
                .thenApply(reply -> toHistory(room, reply)));
  }

  /** One {@code snapshot.lua}: see {@link dev.relay.engine.EventLog#openMessages}. */
  CompletionStage<OpenMessages> openMessages(String room) {
    String[] keys = {RedisKeyLayout.roomMeta(room), RedisKeyLayout.roomOpenMessages(room)};
    String[] args = {
      RedisKeyLayout.roomMessageTextPrefix(room),
      Long.toString(System.currentTimeMillis() - settings.roomTtl().toMillis())
    };
    return redis.call(
        "snapshot",
        c ->
            SNAPSHOT
                .<List<Object>>run(c, ScriptOutputType.MULTI, keys, args)
                .thenApply(RoomReads::toOpenMessages));
  }

  private static OpenMessages toOpenMessages(List<Object> reply) {
    String epoch = (String) reply.get(0);
    if (epoch.isEmpty()) {
      return OpenMessages.none();
    }
    List<OpenMessage> messages = new ArrayList<>((reply.size() - 2) / 4);
    for (int i = 2; i + 4 <= reply.size(); i += 4) {
      messages.add(
          new OpenMessage(
              (String) reply.get(i),
              (String) reply.get(i + 1),
              Long.parseLong((String) reply.get(i + 2)),
              (String) reply.get(i + 3)));
    }
    return new OpenMessages(EventId.ofStreamId((String) reply.get(1), epoch), messages);
  }

  private static History toHistory(String room, List<Object> reply) {
    String epoch = (String) reply.get(0);
    List<StoredEvent> events = new ArrayList<>((reply.size() - 2) / HISTORY_FIELDS);
    for (int i = 2; i + HISTORY_FIELDS <= reply.size(); i += HISTORY_FIELDS) {
      EventId id = EventId.ofStreamId((String) reply.get(i), epoch);
      String traceparent = (String) reply.get(i + 2);
      events.add(
          new StoredEvent(
              id,
              room,
              (String) reply.get(i + 1),
              false,
              EnvelopeCodec.withId((String) reply.get(i + 3), id.toString()),
              traceparent.isEmpty() ? null : traceparent));
    }
    return new History(events, "1".equals(reply.get(1)));
  }

  private static Replay toReplay(String room, String epoch, List<Object> reply) {
    Replay.Outcome outcome = Replay.Outcome.valueOf((String) reply.get(0));
    if (outcome != Replay.Outcome.COMPLETE) {
      return Replay.refused(outcome);
    }
    List<StoredEvent> events = new ArrayList<>((reply.size() - 1) / FIELDS_PER_ENTRY);
    for (int i = 1; i + FIELDS_PER_ENTRY <= reply.size(); i += FIELDS_PER_ENTRY) {
      EventId id = EventId.ofStreamId((String) reply.get(i), epoch);
      String traceparent = (String) reply.get(i + 3);
      events.add(
          new StoredEvent(
              id,
              room,
              (String) reply.get(i + 1),
              "1".equals(reply.get(i + 2)),
              EnvelopeCodec.withId((String) reply.get(i + 4), id.toString()),
              traceparent.isEmpty() ? null : traceparent));
    }
    return Replay.complete(events);
  }
}
