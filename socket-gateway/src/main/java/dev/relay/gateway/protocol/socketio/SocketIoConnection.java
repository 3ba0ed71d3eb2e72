package dev.relay.gateway.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.InvalidMessageException;
import dev.relay.contracts.protocol.socketio.ProtocolException;
import dev.relay.contracts.protocol.socketio.SocketIoRequests;
import dev.relay.contracts.protocol.socketio.SocketPacket;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FrameFormat;
import dev.relay.gateway.session.ClientChannel;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.Reply;
import dev.relay.gateway.session.ReplyCodec;
import dev.relay.gateway.session.RequestDispatcher;
import dev.relay.gateway.session.ResumeOffset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO v5 side of one Engine.IO session, default namespace only: CONNECT with {@code
 * auth.token} (and recovery with {@code pid}/{@code offset}), the request events answered through
 * ack callbacks, and server events {@code event} carrying the envelope and the recovery offset.
 * Drives a protocol-neutral {@link ClientSession}. Confined to the session's executor.
 *
 * <p>A codec over the protocol-neutral session: request events decode ({@link SocketIoRequests})
 * into the same records as the JSON protocol, the {@link RequestDispatcher} routes them, and {@link
 * SocketIoReplies} encodes the answers as acks.
 *
 * <p>Errors: as the protocol requires, a packet that cannot be decoded, a first packet that is not
 * CONNECT, or a second CONNECT closes the connection. A well-formed request with bad fields or an
 * unknown event gets the ack {@code {ok:false,code}} (without an ack id, an {@code error} event)
 * and the connection stays; other namespaces get CONNECT_ERROR {@code Invalid namespace}. Closing
 * for token expiry (or revocation) sends {@code error} {@code {"code":"token_expired"}} then
 * DISCONNECT; going-away and slow-consumer closes only close the transport, so the client recovers.
 */
final class SocketIoConnection implements EngineListener, ClientChannel {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoConnection.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * {@code 42["event",<envelope>,"<offset>"]} as an Engine.IO text packet: once per event for every
   * connection whose only room is the event's, once per distinct offset for the others.
   */
  static final FrameFormat EVENT_FRAME =
      FrameFormat.withOffset(
          d ->
              eventFrame(
                  d.event().envelopeJson(), ResumeOffset.one(d.event().room(), d.event().id())),
          (d, offset) -> eventFrame(d.event().envelopeJson(), offset));

  private final EngineIoSession engine;
  private final SocketIoContext context;
  private ClientSession session;
  private ClientSession pending;
  private RequestDispatcher dispatcher;
  private String pid;
  private boolean connecting;

  /** The auth deadline (SPEC §10) until the CONNECT succeeded, then null. */
  private ScheduledFuture<?> connectDeadline;

  private boolean closed;

  SocketIoConnection(EngineIoSession engine, SocketIoContext context) {
    this.engine = engine;
    this.context = context;
    this.connectDeadline =
        engine
            .executor()
            .schedule(
                () -> {
                  if (session == null && !closed) {
                    engine.close("not connected in time", CloseCodes.UNAUTHORIZED);
                  }
                },
                context.services().limits().authTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  static byte[] eventFrame(String envelopeJson, String offset) {
    StringBuilder out = new StringBuilder(envelopeJson.length() + 20 + offset.length());
    out.append("42[\"event\",").append(envelopeJson);
    out.append(",\"").append(offset).append('"');
    return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void onMessage(String data) {
    if (closed) {
      return;
    }
    SocketPacket packet;
    try {
      packet = SocketPacket.decode(data, context.settings().maxPayload());
    } catch (ProtocolException e) {
      LOG.debug("socket.io {}: bad packet: {}", engine.sid(), e.getMessage());
      engine.close("invalid packet");
      return;
    }
    if (!SocketPacket.DEFAULT_NAMESPACE.equals(packet.namespace())) {
      if (packet.type() == SocketPacket.Type.CONNECT) {
        engine.send(SocketPacket.connectError(packet.namespace(), "Invalid namespace").encode());
      }
      return;
    }
    SocketPacket.Type type = packet.type();
    if (type == SocketPacket.Type.CONNECT && session == null && !connecting) {
      connect(packet.data());
    } else if (session == null || type == SocketPacket.Type.CONNECT) {
      LOG.debug("socket.io {}: {} packet in an invalid state", engine.sid(), type);
      engine.close("invalid state");
    } else if (type == SocketPacket.Type.EVENT) {
      onEvent(packet);
    } else if (type == SocketPacket.Type.DISCONNECT) {
      context.store().take(pid);
      engine.close("client namespace disconnect");
    }
  }

  @Override
  public void onClose(String reason) {
    closed = true;
    if (pending != null) {
      pending.close();
      context.registry().remove(pending);
      pending = null;
    }
    if (session != null) {
      context.store().save(pid, entry());
      session.close();
      context.registry().remove(session);
    }
  }

  @Override
  public Executor executor() {
    return engine.executor();
  }

  @Override
  public void sendEvent(Delivery delivery) {
    ClientSession s = session;
    engine.sendFrame(
        s == null || s.offsetIsEventOnly(delivery)
            ? delivery.frame(EVENT_FRAME)
            : delivery.frame(EVENT_FRAME, s.offset()));
    if (delivery.isLive()) {
      context.services().hub().observer().written(delivery);
    }
  }

  @Override
  public void send(String frame) {
    if (frame != null && !closed) {
      engine.send(frame);
    }
  }

  @Override
  public ReplyCodec replies() {
    return SocketIoReplies.INSTANCE;
  }

  @Override
  public void roomsChanged() {
    if (pid != null && session != null) {
      context.store().save(pid, entry());
    }
  }

  /** A replayed event with the offset the client may resume from after it. */
  void sendReplayed(Delivery delivery, String offset) {
    engine.sendFrame(eventFrame(delivery.event().envelopeJson(), offset));
  }

  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    if (code == CloseCodes.GOING_AWAY || code == CloseCodes.TRY_AGAIN_LATER) {
      engine.close(reason);
      return;
    }
    String error = CloseCodes.errorCode(code);
    send(SocketIoReplies.INSTANCE.error(error, reason, null));
    engine.send(SocketPacket.disconnect(SocketPacket.DEFAULT_NAMESPACE).encode());
    context.store().take(pid);
    engine.close(error);
  }

  private void connect(JsonNode data) {
    JsonNode token = data == null ? null : data.get("token");
    String oldPid = text(data, "pid");
    String offset = text(data, "offset");
    connecting = true;
    context
        .services()
        .admission()
        .admit(
            token == null ? null : token.asText(null),
            executor(),
            new Reply<>() {
              @Override
              public void ok(ConnectionGrant grant) {
                if (closed) {
                  return;
                }
                if (oldPid != null && offset != null) {
                  new SocketIoRecovery(SocketIoConnection.this, context, grant, oldPid, offset)
                      .run();
                } else {
                  startFresh(grant);
                }
              }

              @Override
              public void error(String code, String detail) {
                connecting = false;
                engine.send(
                    SocketPacket.connectError(SocketPacket.DEFAULT_NAMESPACE, code).encode());
              }
            });
  }

  /**
   * A new connection state: token rooms only, a new pid. CONNECT is answered once the rooms are
   * followed; if a follow fails (store down) the transport is closed without a DISCONNECT, so the
   * stock client reconnects with backoff.
   */
  void startFresh(ConnectionGrant grant) {
    ClientSession s = newSession(grant);
    s.start();
    s.followed()
        .whenComplete(
            (ok, failure) -> {
              if (closed || pending != s) {
                return;
              }
              if (failure != null) {
                LOG.debug("socket.io {}: rooms not followed: {}", engine.sid(), failure.toString());
                engine.close("unavailable");
                return;
              }
              pending = null;
              connecting = false;
              session = s;
              connected(SocketIoContext.randomId());
              s.release();
            });
  }

  /** A session not yet connected; closed with the connection if it ends first. */
  ClientSession newSession(ConnectionGrant grant) {
    ClientSession s =
        new ClientSession(SocketIoContext.randomId(), grant, context.services(), this);
    context.registry().add(s, this);
    pending = s;
    return s;
  }

  /** The recovery succeeded with {@code s}: the CONNECT reply carries the client's pid again. */
  void recovered(ClientSession s, String samePid) {
    pending = null;
    connecting = false;
    session = s;
    connected(samePid);
  }

  /** The recovery of {@code s} was given up: it no longer belongs to this connection. */
  void abandoned(ClientSession s) {
    if (pending == s) {
      pending = null;
    }
    s.close();
    context.registry().remove(s);
  }

  boolean isClosed() {
    return closed;
  }

  private void connected(String newPid) {
    // Connected: the deadline has nothing left to check, and its task would hold this connection
    // in the event loop's timer queue until it fires (#17, idle heap per connection).
    if (connectDeadline != null) {
      connectDeadline.cancel(false);
      connectDeadline = null;
    }
    pid = newPid;
    dispatcher = new RequestDispatcher(session, this);
    context.store().save(pid, entry());
    ObjectNode reply = JSON.objectNode().put("sid", session.id()).put("pid", pid);
    engine.send(SocketPacket.connect(SocketPacket.DEFAULT_NAMESPACE, reply).encode());
  }

  private RecoveryStore.Entry entry() {
    Set<String> requested = new HashSet<>(session.rooms());
    requested.removeAll(session.tokenRooms());
    return new RecoveryStore.Entry(session.sub(), requested);
  }

  private void onEvent(SocketPacket packet) {
    ClientMessage message;
    try {
      message = SocketIoRequests.decode(packet);
    } catch (InvalidMessageException e) {
      send(SocketIoReplies.INSTANCE.error(e.code(), e.getMessage(), e.ref()));
      return;
    }
    dispatcher.dispatch(message);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
