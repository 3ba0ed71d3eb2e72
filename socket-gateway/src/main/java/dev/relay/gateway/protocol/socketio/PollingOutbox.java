package dev.relay.gateway.protocol.socketio;

import dev.relay.contracts.protocol.socketio.EnginePacket;
import dev.relay.gateway.transport.HttpExchange;
import dev.relay.gateway.transport.OutboundBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packets of one Engine.IO session waiting for a long-poll GET, and the GET waiting for them.
 * Counted in bytes against the {@link OutboundBudget} (SPEC §10): what no poll has taken yet is
 * what the gateway holds for a client that stops polling. Confined to the session's executor.
 */
final class PollingOutbox {

  private final List<EnginePacket> packets = new ArrayList<>();
  private long bytes;
  private HttpExchange pending;

  /** Queues {@code packet} if it fits the budget; false (nothing queued) when it does not. */
  boolean offer(EnginePacket packet, OutboundBudget budget) {
    int size = OutboundBudget.utf8Length(packet.encode()) + 1;
    if (!budget.admits(bytes, size)) {
      return false;
    }
    packets.add(packet);
    bytes += size;
    return true;
  }

  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return packets.isEmpty();
  }

  /** Queues a NOOP (an upgrade in progress answers polls with it); a byte, not counted. */
  void noop() {
    packets.add(EnginePacket.of(EnginePacket.Type.NOOP));
  }

  boolean hasPendingPoll() {
    return pending != null;
  }

  /** Parks a GET until something is queued; the caller checked none is pending. */
  void park(HttpExchange poll) {
    pending = poll;
  }

  /** The client went away from {@code poll}: forget it if it is still the pending one. */
  void forget(HttpExchange poll) {
    if (pending == poll) {
      pending = null;
    }
  }

  /**
   * Answers the pending GET with everything queued, if there is both.
   *
   * @return true when the answer carried a CLOSE packet (the session ends with it)
   */
  boolean flush(Map<String, String> headers) {
    if (pending == null || packets.isEmpty()) {
      return false;
    }
    HttpExchange poll = pending;
    pending = null;
    String body = EnginePacket.encodePayload(packets);
    boolean closes = packets.get(packets.size() - 1).type() == EnginePacket.Type.CLOSE;
    clear();
    poll.respond(200, headers, body);
    return closes;
  }

  /**
   * Answers the pending GET, if any, with {@code body} (e.g. NOOP {@code 6}) whatever is queued.
   */
  void answerPending(Map<String, String> headers, String body) {
    if (pending != null) {
      HttpExchange poll = pending;
      pending = null;
      poll.respond(200, headers, body);
    }
  }

  /** Takes every queued packet but NOOPs (moving to a WebSocket), leaving the outbox empty. */
  List<EnginePacket> drain() {
    List<EnginePacket> queued = new ArrayList<>(packets.size());
    for (EnginePacket p : packets) {
      if (p.type() != EnginePacket.Type.NOOP) {
        queued.add(p);
      }
    }
    clear();
    return queued;
  }

  void clear() {
    packets.clear();
    bytes = 0;
  }
}
