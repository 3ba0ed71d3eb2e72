package dev.relay.gateway.protocol.socketio;

import dev.relay.contracts.protocol.socketio.EngineHandshake;
import dev.relay.contracts.protocol.socketio.EnginePacket;
import dev.relay.contracts.protocol.socketio.ProtocolException;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.HttpExchange;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session: its transport (long-polling, WebSocket, or polling upgraded to
 * WebSocket), the packets waiting for the next poll, and the heartbeat (a ping every {@code
 * pingInterval}; no pong within {@code pingTimeout} closes the session).
 *
 * <p>Threading: every method runs on {@link #executor()}, the event loop of the connection that
 * created the session; callers on other loops hop onto it. Packets are written in the order {@link
 * #send} was called, across an upgrade (those queued for polling are flushed to the WebSocket).
 * Malformed input closes this session only.
 *
 * <p>Bounds (SPEC §10): packets waiting for a poll count against the {@link OutboundBudget} in
 * bytes; a client that stops polling is closed once they would pass it (the WebSocket transport
 * applies the same budget to its socket). A close completes within {@link
 * OutboundBudget#CLOSE_GRACE}: without a poll to carry the CLOSE packet, the session is dropped.
 */
final class EngineIoSession {

  private static final Logger LOG = LoggerFactory.getLogger(EngineIoSession.class);
  static final Map<String, String> TEXT = Map.of("Content-Type", "text/plain; charset=UTF-8");

  private final String sid;
  private final EngineIoSettings settings;
  private final ScheduledExecutorService executor;
  private final String clientIp;
  private final Consumer<EngineIoSession> onGone;
  private final Map<String, String> cors;
  private final OutboundBudget budget;
  private EngineListener listener;

  /** Created by the first use (long-polling, or closing): a WebSocket-only session has none. */
  private PollingOutbox outbox;

  private Transport ws;
  private Transport probe;
  private boolean upgrading;
  private boolean closing;
  private boolean closed;
  private final EngineHeartbeat heartbeat;

  EngineIoSession(
      String sid,
      EngineIoSettings settings,
      ScheduledExecutorService executor,
      Map<String, String> cors,
      String clientIp,
      OutboundBudget budget,
      Consumer<EngineIoSession> onGone) {
    this.clientIp = clientIp;
    this.budget = budget;
    this.sid = sid;
    this.settings = settings;
    this.executor = executor;
    this.cors = cors;
    this.onGone = onGone;
    this.heartbeat =
        new EngineHeartbeat(
            executor,
            settings,
            () -> write(EnginePacket.of(EnginePacket.Type.PING)),
            () -> abort("ping timeout"));
  }

  String sid() {
    return sid;
  }

  /** The client's IP when the session was opened, for per-IP limits; may be null. */
  String clientIp() {
    return clientIp;
  }

  ScheduledExecutorService executor() {
    return executor;
  }

  boolean isWebSocket() {
    return ws != null;
  }

  void start(EngineListener listener) {
    this.listener = listener;
    heartbeat.start();
  }

  EngineHandshake handshake(List<String> upgrades) {
    return new EngineHandshake(
        sid,
        upgrades,
        settings.pingInterval().toMillis(),
        settings.pingTimeout().toMillis(),
        settings.maxPayload());
  }

  /** Starts the session directly on a WebSocket. */
  FrameListener openWebSocket(Transport transport) {
    ws = transport;
    wsSend(EnginePacket.open(handshake(List.of())));
    return new WsListener(transport, false);
  }

  /** A WebSocket that wants to take over this polling session (the client probes it first). */
  FrameListener probe(Transport transport) {
    if (ws != null || probe != null || closed) {
      transport.close(1002, "upgrade refused");
      return new WsListener(transport, true);
    }
    probe = transport;
    return new WsListener(transport, true);
  }

  /** Queues one Socket.IO packet (the data of an Engine.IO MESSAGE). */
  void send(String message) {
    write(EnginePacket.message(message));
  }

  /** Queues one complete Engine.IO text packet, already UTF-8 encoded (a cached event frame). */
  void sendFrame(byte[] utf8) {
    if (closed) {
      return;
    }
    if (ws != null) {
      Transport t = ws;
      onWsExecutor(t, () -> t.sendText(utf8));
    } else {
      write(EnginePacket.decode(new String(utf8, java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  /** Closes the session after flushing what was queued; the client sees a transport close. */
  void close(String reason) {
    close(reason, 1000);
  }

  /** As {@link #close(String)}; a WebSocket transport is closed with {@code wsCode}. */
  void close(String reason, int wsCode) {
    if (closed || closing) {
      return;
    }
    closing = true;
    if (ws != null) {
      Transport t = ws;
      onWsExecutor(t, () -> t.close(wsCode, "closed"));
      gone(reason);
    } else {
      write(EnginePacket.of(EnginePacket.Type.CLOSE));
      if (!closed && !outbox().hasPendingPoll()) {
        executor.schedule(
            () -> gone(reason), OutboundBudget.CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A long-poll GET: answered at once with what is queued, else when something is. */
  void onPollGet(HttpExchange x) {
    if (closed || ws != null) {
      x.respond(400, TEXT, "{\"code\":3,\"message\":\"Bad request\"}");
      return;
    }
    if (outbox().hasPendingPoll()) {
      LOG.debug("engine.io session {}: overlapping poll", sid);
      x.respond(400, TEXT, "{\"code\":3,\"message\":\"Bad request\"}");
      abort("overlapping poll");
      return;
    }
    outbox().park(x);
    x.onAbort(() -> executor.execute(() -> outbox().forget(x)));
    if (upgrading && outbox().isEmpty()) {
      outbox().noop();
    }
    flushPoll();
  }

  /** A POST carrying packets. */
  void onPollPost(HttpExchange x) {
    if (closed || ws != null) {
      x.respond(400, TEXT, "{\"code\":3,\"message\":\"Bad request\"}");
      return;
    }
    List<EnginePacket> packets;
    try {
      packets = EnginePacket.decodePayload(x.body(), settings.maxPayload());
    } catch (ProtocolException e) {
      LOG.debug("engine.io session {}: bad payload: {}", sid, e.getMessage());
      x.respond(400, TEXT, "{\"code\":3,\"message\":\"Bad request\"}");
      abort("parse error");
      return;
    }
    x.respond(200, withCors(TEXT), "ok");
    for (EnginePacket p : packets) {
      onPacket(p);
    }
  }

  Map<String, String> withCors(Map<String, String> headers) {
    if (cors.isEmpty()) {
      return headers;
    }
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.putAll(cors);
    return all;
  }

  private void onPacket(EnginePacket p) {
    if (closed) {
      return;
    }
    EnginePacket.Type type = p.type();
    if (type == EnginePacket.Type.PONG) {
      heartbeat.onPong();
    } else if (type == EnginePacket.Type.MESSAGE) {
      listener.onMessage(p.data());
    } else if (type == EnginePacket.Type.CLOSE) {
      abort("client close");
    } else if (type == EnginePacket.Type.PING) {
      write(new EnginePacket(EnginePacket.Type.PONG, p.data()));
    } else if (type != EnginePacket.Type.NOOP) {
      LOG.debug("engine.io session {}: unexpected {} packet", sid, type);
      abort("unexpected packet");
    }
  }

  private PollingOutbox outbox() {
    if (outbox == null) {
      outbox = new PollingOutbox();
    }
    return outbox;
  }

  private void write(EnginePacket packet) {
    if (closed) {
      return;
    }
    if (ws != null) {
      wsSend(packet);
      return;
    }
    if (!outbox().offer(packet, budget)) {
      budget.overflowed("engine.io session " + sid, outbox().bytes());
      abort("slow consumer");
      return;
    }
    flushPoll();
  }

  private void flushPoll() {
    if (outbox().flush(withCors(TEXT))) {
      gone("server close");
    }
  }

  private void wsSend(EnginePacket packet) {
    Transport t = ws;
    String text = packet.encode();
    onWsExecutor(t, () -> t.sendText(text));
  }

  private void onWsExecutor(Transport t, Runnable task) {
    if (t.executor() == executor) {
      task.run();
    } else {
      t.executor().execute(task);
    }
  }

  /** Ends the session at once, without flushing (protocol error, timeout, transport gone). */
  void abort(String reason) {
    if (closed) {
      return;
    }
    // The reference server answers a poll cut short by a close with a NOOP.
    outbox().answerPending(withCors(TEXT), "6");
    if (ws != null) {
      Transport t = ws;
      onWsExecutor(t, () -> t.close(1000, "closed"));
    }
    gone(reason);
  }

  private void gone(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.stop();
    if (probe != null) {
      Transport t = probe;
      probe = null;
      onWsExecutor(t, () -> t.close(1000, "closed"));
    }
    outbox().clear();
    onGone.accept(this);
    if (listener != null) {
      listener.onClose(reason);
    }
  }

  /** Frames of a WebSocket (the session's, or a probing one), hopped onto the session. */
  private final class WsListener implements FrameListener {
    private final Transport transport;
    private boolean probing;

    WsListener(Transport transport, boolean probing) {
      this.transport = transport;
      this.probing = probing;
    }

    @Override
    public void onText(String text) {
      executor.execute(() -> onTextHere(text));
    }

    private void onTextHere(String text) {
      EnginePacket p;
      try {
        p = EnginePacket.decode(text, settings.maxPayload());
      } catch (ProtocolException e) {
        LOG.debug("engine.io session {}: bad packet: {}", sid, e.getMessage());
        onWsExecutor(transport, () -> transport.close(1002, "parse error"));
        if (!probing) {
          abort("parse error");
        }
        return;
      }
      if (!probing) {
        onPacket(p);
      } else if (transport != probe || closed) {
        onWsExecutor(transport, () -> transport.close(1002, "upgrade refused"));
      } else if (p.type() == EnginePacket.Type.PING && "probe".equals(p.data())) {
        String pong = new EnginePacket(EnginePacket.Type.PONG, "probe").encode();
        onWsExecutor(transport, () -> transport.sendText(pong));
        upgrading = true;
        if (outbox().hasPendingPoll()) {
          outbox().noop();
          flushPoll();
        }
      } else if (p.type() == EnginePacket.Type.UPGRADE && upgrading) {
        probing = false;
        probe = null;
        upgrading = false;
        ws = transport;
        outbox().answerPending(withCors(TEXT), "6");
        outbox().drain().forEach(EngineIoSession.this::wsSend);
        if (closing) {
          abort("server close");
        }
      } else {
        onWsExecutor(transport, () -> transport.close(1002, "bad upgrade"));
      }
    }

    @Override
    public void onBinary() {
      executor.execute(
          () -> {
            LOG.debug("engine.io session {}: binary frame refused", sid);
            onWsExecutor(transport, () -> transport.close(1003, "binary not supported"));
            if (!probing) {
              abort("binary frame");
            }
          });
    }

    @Override
    public void onClosed() {
      executor.execute(
          () -> {
            if (probing) {
              if (probe == transport) {
                probe = null;
                upgrading = false;
              }
            } else if (ws == transport) {
              gone("transport close");
            }
          });
    }
  }
}
