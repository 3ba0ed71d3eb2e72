package dev.relay.engine.memory;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;
import dev.relay.engine.stream.MessageLimits;
import dev.relay.engine.stream.MessagePart;
import dev.relay.engine.stream.OpenMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open streamed messages of one {@link MemoryRoom}: the in-process twin of {@code
 * relay:{R}:mo}, {@code :mc:<id>} and {@code :md:<id>} with the same rules as {@code append.lua}
 * (docs/streaming.md). An entry whose last delta is older than the room TTL is stale and dropped.
 * Not thread-safe: used under the owning log's lock.
 */
final class MemoryMessages {

  /** What an append of a part may do: go on, repeat the newest delta's id, or be refused. */
  record Check(String rejected, EventId duplicateOf) {
    static final Check GO = new Check(null, null);
  }

  private static final class Open {
    long seq;
    long lastMillis;
    EventId lastId;
    final String conversationId;
    final StringBuilder text = new StringBuilder();
    long bytes;

    Open(String conversationId) {
      this.conversationId = conversationId;
    }
  }

  private final Map<String, Open> open = new LinkedHashMap<>();
  private final Map<String, Long> doneUntilMillis = new HashMap<>();

  Check check(MessagePart part, long now, long ttlMillis, MessageLimits limits) {
    if (part.completion()) {
      return Check.GO;
    }
    Open o = fresh(part.messageId(), now, ttlMillis);
    long deltaBytes = part.delta().getBytes(StandardCharsets.UTF_8).length;
    if (o != null) {
      if (!o.conversationId.equals(part.conversationId())) {
        return new Check(ErrorCodes.OUT_OF_SEQUENCE, null);
      }
      if (part.seq() <= o.seq) {
        return new Check(null, o.lastId);
      }
      if (part.seq() != o.seq + 1) {
        return new Check(ErrorCodes.OUT_OF_SEQUENCE, null);
      }
      return o.bytes + deltaBytes > limits.maxContentBytes()
          ? new Check(ErrorCodes.MESSAGE_TOO_LARGE, null)
          : Check.GO;
    }
    Long doneUntil = doneUntilMillis.get(part.messageId());
    if (doneUntil != null && doneUntil >= now) {
      return new Check(ErrorCodes.MESSAGE_CLOSED, null);
    }
    if (part.seq() != 1) {
      return new Check(ErrorCodes.OUT_OF_SEQUENCE, null);
    }
    if (deltaBytes > limits.maxContentBytes()) {
      return new Check(ErrorCodes.MESSAGE_TOO_LARGE, null);
    }
    if (open.size() >= limits.maxOpenMessages()) {
      open.values().removeIf(stale -> stale.lastMillis < now - ttlMillis);
      if (open.size() >= limits.maxOpenMessages()) {
        return new Check(ErrorCodes.TOO_MANY_OPEN_MESSAGES, null);
      }
    }
    return Check.GO;
  }

  /** Applies a part that {@link #check} let go, appended with {@code id}. */
  void apply(MessagePart part, EventId id, long now, long ttlMillis) {
    if (part.completion()) {
      open.remove(part.messageId());
      doneUntilMillis.put(part.messageId(), now + ttlMillis);
      doneUntilMillis.values().removeIf(until -> until < now);
      return;
    }
    Open o = part.seq() == 1 ? null : open.get(part.messageId());
    if (o == null) {
      o = new Open(part.conversationId());
      open.put(part.messageId(), o);
    }
    o.seq = part.seq();
    o.lastMillis = now;
    o.lastId = id;
    o.text.append(part.delta());
    o.bytes += part.delta().getBytes(StandardCharsets.UTF_8).length;
  }

  /** The open messages with their text, oldest opened first. */
  List<OpenMessage> snapshot(long now, long ttlMillis) {
    List<OpenMessage> out = new ArrayList<>(open.size());
    for (Iterator<Map.Entry<String, Open>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Open> e = it.next();
      Open o = e.getValue();
      if (o.lastMillis < now - ttlMillis) {
        it.remove();
      } else {
        out.add(new OpenMessage(e.getKey(), o.conversationId, o.seq, o.text.toString()));
      }
    }
    return out;
  }

  private Open fresh(String messageId, long now, long ttlMillis) {
    Open o = open.get(messageId);
    if (o != null && o.lastMillis < now - ttlMillis) {
      open.remove(messageId);
      return null;
    }
    return o;
  }
}
