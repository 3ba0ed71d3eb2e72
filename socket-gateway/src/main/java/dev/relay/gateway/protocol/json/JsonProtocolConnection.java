package dev.relay.gateway.protocol.json;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.protocol.ClientMessage;
import dev.relay.contracts.protocol.InvalidMessageException;
import dev.relay.contracts.protocol.json.JsonProtocolCodec;
import dev.relay.contracts.protocol.json.ServerMessages;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FrameFormat;
import dev.relay.gateway.session.ClientChannel;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.Reply;
import dev.relay.gateway.session.ReplyCodec;
import dev.relay.gateway.session.RequestDispatcher;
import dev.relay.gateway.session.SessionLimits;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The plain JSON protocol at {@code /realtime} (SPEC §5) for one connection: a codec over the
 * protocol-neutral session. Text frames decode into {@link ClientMessage}s, which the {@link
 * RequestDispatcher} routes; replies are encoded by {@link JsonReplies}; every frame leaves through
 * the transport's outbound budget. A malformed message gets an {@code error} reply and never
 * affects other connections.
 *
 * <p>Authentication: with a token from the upgrade request it starts at once; otherwise the first
 * message must be {@code auth}. Up to {@value SessionLimits#MAX_EARLY_MESSAGES} messages sent while
 * authentication is in progress are handled in order once {@code welcome} is sent; more are
 * answered {@code rate_limited}. A connection not authenticated within the auth timeout is closed
 * 4001, whatever it sends meanwhile. Confined to the transport's executor.
 */
public final class JsonProtocolConnection implements ClientChannel, FrameListener {

  /** The {@code {"type":"event","event":…}} frame, encoded once per event. */
  public static final FrameFormat EVENT_FRAME =
      FrameFormat.of(
          d -> ServerMessages.event(d.event().envelopeJson()).getBytes(StandardCharsets.UTF_8));

  private final String connectionId;
  private final Transport transport;
  private final SessionServices services;
  private final SessionRegistry registry;
  private ClientSession session;
  private RequestDispatcher dispatcher;
  private Queue<ClientMessage> early;
  private boolean authenticating;
  private boolean closed;

  public JsonProtocolConnection(
      String connectionId,
      Transport transport,
      SessionServices services,
      SessionRegistry registry) {
    this.connectionId = connectionId;
    this.transport = transport;
    this.services = services;
    this.registry = registry;
  }

  /** Starts the connection: authenticates with {@code token}, or waits for an {@code auth}. */
  public void open(String token) {
    transport.schedule(
        () -> {
          if (session == null && !closed) {
            refuse(ErrorCodes.UNAUTHORIZED, "not authenticated in time", null);
          }
        },
        services.limits().authTimeout());
    if (token != null) {
      authenticate(token, null);
    }
  }

  @Override
  public void onText(String text) {
    if (closed) {
      return;
    }
    ClientMessage message;
    try {
      message = JsonProtocolCodec.parse(text);
    } catch (InvalidMessageException e) {
      send(JsonReplies.INSTANCE.error(e.code(), e.getMessage(), e.ref()));
      return;
    }
    if (dispatcher != null) {
      dispatcher.dispatch(message);
    } else if (authenticating) {
      holdUntilWelcome(message);
    } else if (message instanceof ClientMessage.Auth auth) {
      authenticate(auth.token(), auth.ref());
    } else {
      refuse(ErrorCodes.UNAUTHORIZED, "authenticate first", message.ref());
    }
  }

  /** A binary frame: this protocol is JSON text only. */
  @Override
  public void onBinary() {
    send(
        JsonReplies.INSTANCE.error(
            ErrorCodes.INVALID_MESSAGE, "binary frames are not supported", null));
  }

  @Override
  public void onClosed() {
    closed = true;
    early = null;
    if (session != null) {
      session.close();
      registry.remove(session);
    }
  }

  @Override
  public Executor executor() {
    return transport.executor();
  }

  @Override
  public void sendEvent(Delivery delivery) {
    transport.sendText(delivery.frame(EVENT_FRAME));
    if (delivery.isLive()) {
      services.hub().observer().written(delivery);
    }
  }

  @Override
  public void send(String frame) {
    if (frame != null) {
      transport.sendText(frame);
    }
  }

  @Override
  public ReplyCodec replies() {
    return JsonReplies.INSTANCE;
  }

  @Override
  public void close(int code, String reason) {
    transport.close(code, reason);
  }

  private void holdUntilWelcome(ClientMessage message) {
    if (early == null) {
      early = new ArrayDeque<>(4);
    }
    if (early.size() >= SessionLimits.MAX_EARLY_MESSAGES) {
      send(
          JsonReplies.INSTANCE.error(
              ErrorCodes.RATE_LIMITED, "too many messages before welcome", message.ref()));
      return;
    }
    early.add(message);
  }

  private void authenticate(String token, String ref) {
    authenticating = true;
    services
        .admission()
        .admit(
            token,
            transport.executor(),
            new Reply<>() {
              @Override
              public void ok(ConnectionGrant grant) {
                authenticating = false;
                if (!closed) {
                  welcome(grant);
                }
              }

              @Override
              public void error(String code, String detail) {
                authenticating = false;
                refuse(code, detail, ref);
              }
            });
  }

  /**
   * Joins the token's rooms and sends {@code welcome} once they are all followed (so no event
   * published after it can be missed); messages that arrive meanwhile wait as during
   * authentication. If a follow fails (store down), the client gets {@code unavailable} and the
   * connection closes with 1013, so it reconnects with backoff.
   */
  private void welcome(ConnectionGrant grant) {
    authenticating = true;
    ClientSession joined = new ClientSession(connectionId, grant, services, this);
    session = joined;
    registry.add(joined, this);
    var rooms = joined.start();
    joined
        .followed()
        .whenComplete(
            (ok, failure) -> {
              authenticating = false;
              if (closed) {
                return;
              }
              if (failure != null) {
                refuse(ErrorCodes.UNAVAILABLE, "try again later", null);
              } else {
                welcomed(joined, grant, rooms);
              }
            });
  }

  private void welcomed(ClientSession joined, ConnectionGrant grant, Set<String> rooms) {
    dispatcher = new RequestDispatcher(joined, this);
    send(ServerMessages.welcome(connectionId, grant.sub(), rooms, joined.expiresAt()));
    joined.release();
    Queue<ClientMessage> waiting = early;
    early = null;
    while (waiting != null && !waiting.isEmpty() && !closed) {
      ClientMessage message = waiting.poll();
      if (message instanceof ClientMessage.Auth auth) {
        send(
            JsonReplies.INSTANCE.error(
                ErrorCodes.INVALID_MESSAGE, "already authenticated", auth.ref()));
      } else {
        dispatcher.dispatch(message);
      }
    }
  }

  private void refuse(String code, String detail, String ref) {
    if (closed) {
      return;
    }
    send(JsonReplies.INSTANCE.error(code, detail, ref));
    int closeCode =
        switch (code) {
          case ErrorCodes.TOKEN_EXPIRED -> CloseCodes.TOKEN_EXPIRED;
          case ErrorCodes.RATE_LIMITED, ErrorCodes.LIMIT_EXCEEDED -> CloseCodes.RATE_LIMITED;
          case ErrorCodes.UNAVAILABLE -> CloseCodes.TRY_AGAIN_LATER;
          default -> CloseCodes.UNAUTHORIZED;
        };
    closed = true;
    close(closeCode, code);
  }
}
