package dev.relay.gateway.protocol.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.protocol.socketio.ProtocolException;
import dev.relay.contracts.protocol.socketio.SocketPacket;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.TokenErrors;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FrameFormat;
import dev.relay.gateway.hub.StreamVector;
import dev.relay.gateway.session.ClientChannel;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.ErrorCodes;
import dev.relay.gateway.session.Reply;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO v5 side of one Engine.IO session, default namespace only: CONNECT with {@code
 * auth.token} (and recovery with {@code pid}/{@code offset}), the request events answered through
 * ack callbacks, and server events {@code event} carrying the envelope and the recovery offset.
 * Drives a protocol-neutral {@link ClientSession}. Confined to the session's executor.
 *
 * <p>Errors: a malformed packet, a binary packet or an unknown event gets an {@code error} event
 * {@code {"code":"invalid_message","message":…}} (or the ack {@code {ok:false,code}}) and the
 * connection stays; other namespaces get CONNECT_ERROR {@code Invalid namespace}. Closing for token
 * expiry (or revocation) sends {@code error} {@code {"code":"token_expired"}} then DISCONNECT;
 * going-away closes only the transport, so the client reconnects and recovers.
 */
final class SocketIoConnection implements EngineListener, ClientChannel {

  private static final Logger LOG = LoggerFactory.getLogger(SocketIoConnection.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** {@code 42["event",<envelope>,"<offset>"]} as an Engine.IO text packet, once per event. */
  static final FrameFormat EVENT_FRAME =
      FrameFormat.of(d -> eventFrame(d.event().envelopeJson(), d.positions()));

  private final EngineIoSession engine;
  private final SocketIoContext context;
  private ClientSession session;
  private String pid;
  private StreamVector floor;
  private boolean connecting;
  private boolean closed;

  SocketIoConnection(EngineIoSession engine, SocketIoContext context) {
    this.engine = engine;
    this.context = context;
    engine
        .executor()
        .schedule(
            () -> {
              if (session == null && !connecting && !closed) {
                engine.close("no CONNECT in time");
              }
            },
            context.services().limits().authTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  static byte[] eventFrame(String envelopeJson, StreamVector positions) {
    StringBuilder out = new StringBuilder(envelopeJson.length() + 420);
    out.append("42[\"event\",").append(envelopeJson);
    if (positions != null) {
      out.append(",\"").append(RecoveryOffset.encode(positions)).append('"');
    }
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
      sendError(ErrorCodes.INVALID_MESSAGE, e.getMessage());
      return;
    }
    if (!SocketPacket.DEFAULT_NAMESPACE.equals(packet.namespace())) {
      if (packet.type() == SocketPacket.Type.CONNECT) {
        engine.send(SocketPacket.connectError(packet.namespace(), "Invalid namespace").encode());
      }
      return;
    }
    SocketPacket.Type type = packet.type();
    if (type == SocketPacket.Type.CONNECT) {
      connect(packet.data());
    } else if (session == null) {
      sendError(ErrorCodes.INVALID_MESSAGE, "CONNECT first");
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
    StreamVector positions = delivery.positions();
    if (floor != null && positions != null) {
      if (SocketIoRecovery.dominates(positions, floor)) {
        floor = null;
      } else {
        engine.sendFrame(
            eventFrame(delivery.event().envelopeJson(), SocketIoRecovery.max(floor, positions)));
        return;
      }
    }
    engine.sendFrame(delivery.frame(EVENT_FRAME));
    if (delivery.isLive()) {
      context.services().hub().observer().written(delivery);
    }
  }

  /** A replayed event with the offset the client may resume from after it. */
  void sendReplayed(Delivery delivery, StreamVector offset) {
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
    String error =
        code == CloseCodes.TOKEN_EXPIRED
            ? TokenErrors.TOKEN_EXPIRED
            : code == CloseCodes.FORBIDDEN ? ErrorCodes.FORBIDDEN : TokenErrors.UNAUTHORIZED;
    sendError(error, reason);
    engine.send(SocketPacket.disconnect(SocketPacket.DEFAULT_NAMESPACE).encode());
    context.store().take(pid);
    engine.close(error);
  }

  private void connect(JsonNode data) {
    if (session != null || connecting) {
      sendError(ErrorCodes.INVALID_MESSAGE, "already connected");
      return;
    }
    JsonNode token = data == null ? null : data.get("token");
    String oldPid = text(data, "pid");
    String offset = text(data, "offset");
    connecting = true;
    context
        .services()
        .admission()
        .admit(
            token == null ? null : token.asText(null),
            engine.clientIp(),
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

  /** A new connection state: token rooms only, a new pid. */
  void startFresh(ConnectionGrant grant) {
    connecting = false;
    session = newSession(grant);
    session.start();
    connected(SocketIoContext.randomId());
  }

  ClientSession newSession(ConnectionGrant grant) {
    ClientSession s =
        new ClientSession(SocketIoContext.randomId(), grant, context.services(), this);
    context.registry().add(s, this);
    return s;
  }

  /** The recovery succeeded with {@code s}: the CONNECT reply carries the client's pid again. */
  void recovered(ClientSession s, String samePid, StreamVector floor) {
    connecting = false;
    session = s;
    this.floor = floor;
    connected(samePid);
  }

  boolean isClosed() {
    return closed;
  }

  private void connected(String newPid) {
    pid = newPid;
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
    JsonNode args = packet.data();
    JsonNode arg = args.size() > 1 ? args.get(1) : null;
    Long ackId = packet.ackId();
    String name = packet.eventName();
    if (arg == null || !arg.isObject()) {
      reply(ackId, (Object o) -> JSON.objectNode())
          .error(ErrorCodes.INVALID_MESSAGE, "the argument must be an object");
      return;
    }
    String room = text(arg, "room");
    if (room == null && !"refresh".equals(name)) {
      reply(ackId, o -> JSON.objectNode()).error(ErrorCodes.INVALID_MESSAGE, "room is required");
      return;
    }
    switch (name) {
      case "subscribe" ->
          session.subscribe(
              room,
              text(arg, "token"),
              text(arg, "since"),
              reply(
                  ackId,
                  ok -> {
                    ObjectNode o = JSON.objectNode().put("ok", true).put("room", ok.room());
                    if (ok.recovered() != null) {
                      o.put("recovered", ok.recovered().booleanValue());
                    }
                    save();
                    return o;
                  }));
      case "unsubscribe" ->
          session.unsubscribe(
              room,
              reply(
                  ackId,
                  r -> {
                    save();
                    return JSON.objectNode().put("ok", true).put("room", r);
                  }));
      case "publish" -> {
        JsonNode payload = arg.get("payload");
        if (payload == null || !payload.isObject()) {
          reply(ackId, o -> JSON.objectNode())
              .error(ErrorCodes.INVALID_MESSAGE, "payload must be an object");
          return;
        }
        session.publish(
            room,
            text(arg, "event"),
            (ObjectNode) payload,
            reply(ackId, id -> JSON.objectNode().put("ok", true).put("id", id)));
      }
      case "presence" ->
          session.presence(
              room,
              reply(
                  ackId,
                  members -> {
                    ObjectNode o = JSON.objectNode().put("ok", true);
                    var list = o.putArray("members");
                    members.forEach(
                        m ->
                            list.addObject()
                                .put("sub", m.sub())
                                .put("joinedAt", m.joinedAt().toString()));
                    return o;
                  }));
      case "refresh" ->
          session.refresh(
              text(arg, "token"),
              reply(
                  ackId,
                  expiresAt ->
                      JSON.objectNode().put("ok", true).put("expiresAt", expiresAt.toString())));
      default ->
          reply(ackId, o -> JSON.objectNode())
              .error(ErrorCodes.INVALID_MESSAGE, "unknown event " + name.length() + " chars long");
    }
  }

  private void save() {
    context.store().save(pid, entry());
  }

  /** Answers through the ack callback; without one, failures become an {@code error} event. */
  private <T> Reply<T> reply(Long ackId, Function<T, ObjectNode> encode) {
    return new Reply<>() {
      @Override
      public void ok(T value) {
        ObjectNode answer = encode.apply(value);
        if (ackId != null && !closed) {
          engine.send(SocketPacket.ack(SocketPacket.DEFAULT_NAMESPACE, ackId, answer).encode());
        }
      }

      @Override
      public void error(String code, String detail) {
        if (closed) {
          return;
        }
        if (ackId != null) {
          ObjectNode answer = JSON.objectNode().put("ok", false).put("code", code);
          engine.send(SocketPacket.ack(SocketPacket.DEFAULT_NAMESPACE, ackId, answer).encode());
        } else {
          sendError(code, detail);
        }
      }
    };
  }

  private void sendError(String code, String message) {
    ObjectNode error = JSON.objectNode().put("code", code).put("message", message);
    engine.send(SocketPacket.event(SocketPacket.DEFAULT_NAMESPACE, null, "error", error).encode());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
