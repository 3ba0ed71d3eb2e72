package dev.relay.gateway.protocol.json;

import dev.relay.contracts.protocol.json.ClientMessage;
import dev.relay.contracts.protocol.json.InvalidMessageException;
import dev.relay.contracts.protocol.json.JsonProtocolCodec;
import dev.relay.contracts.protocol.json.ServerMessages;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.TokenErrors;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FrameFormat;
import dev.relay.gateway.session.ClientChannel;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.ClientSession.Subscribed;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.ErrorCodes;
import dev.relay.gateway.session.Reply;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain JSON protocol at {@code /realtime} (SPEC §5) for one connection: parses client
 * messages, drives its {@link ClientSession}, and writes replies and events. A malformed message
 * gets an {@code error} reply and never affects other connections. Confined to the transport's
 * executor.
 */
public final class JsonProtocolConnection implements ClientChannel, FrameListener {

  private static final Logger LOG = LoggerFactory.getLogger(JsonProtocolConnection.class);

  /** The {@code {"type":"event","event":…}} frame, encoded once per event. */
  public static final FrameFormat EVENT_FRAME =
      FrameFormat.of(
          d -> ServerMessages.event(d.event().envelopeJson()).getBytes(StandardCharsets.UTF_8));

  private final String connectionId;
  private final Transport transport;
  private final SessionServices services;
  private final SessionRegistry registry;
  private ClientSession session;
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

  /**
   * Starts the connection. With a token from the upgrade request it authenticates at once; without,
   * it waits for an {@code auth} message for at most the configured auth timeout.
   */
  public void open(String token) {
    if (token != null) {
      authenticate(token, null);
      return;
    }
    transport.schedule(
        () -> {
          if (session == null && !authenticating && !closed) {
            refuse(TokenErrors.UNAUTHORIZED, "no auth message in time", null);
          }
        },
        services.limits().authTimeout());
  }

  /** Handles one text frame from the client. */
  @Override
  public void onText(String text) {
    if (closed) {
      return;
    }
    ClientMessage message;
    try {
      message = JsonProtocolCodec.parse(text);
    } catch (InvalidMessageException e) {
      transport.sendText(ServerMessages.error(e.code(), e.getMessage(), e.ref()));
      return;
    }
    if (session == null) {
      if (authenticating) {
        transport.sendText(
            ServerMessages.error("invalid_message", "authentication in progress", message.ref()));
      } else if (message instanceof ClientMessage.Auth auth) {
        authenticate(auth.token(), auth.ref());
      } else {
        refuse(TokenErrors.UNAUTHORIZED, "authenticate first", message.ref());
      }
      return;
    }
    handle(message);
  }

  /** A binary frame: this protocol is JSON text only. */
  @Override
  public void onBinary() {
    transport.sendText(
        ServerMessages.error("invalid_message", "binary frames are not supported", null));
  }

  /** The connection is gone (either side closed it). */
  @Override
  public void onClosed() {
    closed = true;
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
    if (!transport.isWritable()) {
      LOG.info("closing slow connection {}", connectionId);
      services.hub().observer().slowConsumerClosed();
      close(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
      return;
    }
    transport.sendText(delivery.frame(EVENT_FRAME));
    if (delivery.isLive()) {
      services.hub().observer().written(delivery);
    }
  }

  @Override
  public void close(int code, String reason) {
    transport.close(code, reason);
  }

  private void handle(ClientMessage message) {
    if (message instanceof ClientMessage.Subscribe s) {
      session.subscribe(
          s.room(),
          s.token(),
          s.since(),
          reply(
              s.ref(),
              (Subscribed ok) ->
                  ServerMessages.subscribed(
                      ok.room(), ok.recovered(), s.echoField(), s.echoValue(), s.ref())));
    } else if (message instanceof ClientMessage.Unsubscribe u) {
      session.unsubscribe(
          u.room(), reply(u.ref(), room -> ServerMessages.unsubscribed(room, u.ref())));
    } else if (message instanceof ClientMessage.Publish p) {
      session.publish(
          p.room(), p.event(), p.payload(), reply(p.ref(), id -> ServerMessages.ack(p.ref(), id)));
    } else if (message instanceof ClientMessage.Presence p) {
      session.presence(
          p.room(), reply(p.ref(), members -> ServerMessages.presence(p.room(), members, p.ref())));
    } else if (message instanceof ClientMessage.Refresh r) {
      session.refresh(
          r.token(), reply(r.ref(), expiresAt -> ServerMessages.refreshed(expiresAt, r.ref())));
    } else if (message instanceof ClientMessage.Ping) {
      transport.sendText(ServerMessages.pong());
    } else {
      transport.sendText(
          ServerMessages.error("invalid_message", "already authenticated", message.ref()));
    }
  }

  private <T> Reply<T> reply(String ref, Function<T, String> encode) {
    return new Reply<>() {
      @Override
      public void ok(T value) {
        transport.sendText(encode.apply(value));
      }

      @Override
      public void error(String code, String detail) {
        transport.sendText(ServerMessages.error(code, detail, ref));
      }
    };
  }

  private void authenticate(String token, String ref) {
    authenticating = true;
    services
        .admission()
        .admit(
            token,
            transport.clientIp(),
            transport.executor(),
            new Reply<>() {
              @Override
              public void ok(ConnectionGrant grant) {
                authenticating = false;
                if (closed) {
                  return;
                }
                session =
                    new ClientSession(connectionId, grant, services, JsonProtocolConnection.this);
                registry.add(session, JsonProtocolConnection.this);
                var rooms = session.start();
                transport.sendText(
                    ServerMessages.welcome(connectionId, grant.sub(), rooms, session.expiresAt()));
              }

              @Override
              public void error(String code, String detail) {
                authenticating = false;
                refuse(code, detail, ref);
              }
            });
  }

  private void refuse(String code, String detail, String ref) {
    transport.sendText(ServerMessages.error(code, detail, ref));
    int closeCode =
        switch (code) {
          case TokenErrors.TOKEN_EXPIRED -> CloseCodes.TOKEN_EXPIRED;
          case ErrorCodes.RATE_LIMITED, ErrorCodes.LIMIT_EXCEEDED -> CloseCodes.RATE_LIMITED;
          case ErrorCodes.UNAVAILABLE -> CloseCodes.TRY_AGAIN_LATER;
          default -> CloseCodes.UNAUTHORIZED;
        };
    close(closeCode, code);
  }
}
