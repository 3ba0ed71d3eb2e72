package dev.relay.gateway.protocol.sse;

import dev.relay.contracts.ErrorCodes;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.hub.Delivery;
import dev.relay.gateway.hub.FrameFormat;
import dev.relay.gateway.session.ClientChannel;
import dev.relay.gateway.session.ClientSession;
import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.session.OffsetRecovery;
import dev.relay.gateway.session.ReplyCodec;
import dev.relay.gateway.session.ResumeOffset;
import dev.relay.gateway.session.SessionRegistry;
import dev.relay.gateway.session.SessionServices;
import dev.relay.gateway.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One SSE stream ({@code GET /realtime/sse}, SPEC §14): a codec over the protocol-neutral session,
 * one-way. Each event is {@code id: <resume point>} / {@code data: <envelope>}; the resume point is
 * a {@link ResumeOffset} covering every room of the stream, so {@code Last-Event-ID} resumes all of
 * them at once with {@link OffsetRecovery} — no gap, no duplicate — or the stream starts with
 * {@code event: recovered-false}. A comment line every heartbeat keeps proxies from closing it.
 * Every write passes the transport's outbound budget. Confined to the transport's executor.
 */
final class SseConnection implements ClientChannel {

  /**
   * {@code id: <offset>} and {@code data: <envelope>}: once per live event for every stream whose
   * only room is the event's, once per distinct offset for the others.
   */
  static final FrameFormat EVENT_FRAME =
      FrameFormat.withOffset(
          d -> frame(d.event().envelopeJson(), ResumeOffset.one(d.event().room(), d.event().id())),
          (d, offset) -> frame(d.event().envelopeJson(), offset));

  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  private final String id;
  private final SessionServices services;
  private final SessionRegistry registry;
  private final Duration heartbeat;
  private final Executor executor;
  private Transport transport;
  private ClientSession session;
  private boolean closed;

  SseConnection(
      String id,
      SessionServices services,
      SessionRegistry registry,
      Duration heartbeat,
      Executor executor) {
    this.executor = executor;
    this.id = id;
    this.services = services;
    this.registry = registry;
    this.heartbeat = heartbeat;
  }

  /**
   * Joins the token's rooms and {@code rooms} (already authorized, at most the room limit), waits
   * until they are all followed, then opens the stream — so no event published after the client
   * sees the answer can be missed — and resumes from {@code lastEventId} when given. If a follow
   * fails (store down) the stream does not open: {@code unavailable} answers (503), as while the
   * gateway drains. Runs on the connection's executor.
   */
  void start(
      Supplier<Transport> open,
      Runnable unavailable,
      ConnectionGrant grant,
      List<String> rooms,
      String lastEventId) {
    session = new ClientSession(id, grant, services, this);
    registry.add(session, this);
    session.start();
    rooms.forEach(session::restore); // within the room limit: the endpoint checked it
    session
        .followed()
        .whenComplete(
            (ok, failure) -> {
              if (closed) {
                return;
              }
              if (failure != null) {
                onClosed();
                unavailable.run();
              } else {
                opened(open.get(), lastEventId);
              }
            });
  }

  private void opened(Transport stream, String lastEventId) {
    transport = stream;
    scheduleHeartbeat();
    if (lastEventId == null) {
      session.release();
      return;
    }
    Optional<ResumeOffset> v = ResumeOffset.decode(lastEventId);
    boolean started =
        v.isPresent()
            && OffsetRecovery.start(
                session,
                v.get(),
                new OffsetRecovery.Writer() {
                  @Override
                  public void answer(boolean recovered) {
                    if (!recovered) {
                      recoveredFalse();
                    }
                  }

                  @Override
                  public void replayed(Delivery delivery, String offset) {
                    transport.sendText(frame(delivery.event().envelopeJson(), offset));
                  }
                });
    if (!started) {
      recoveredFalse();
      session.release();
    }
  }

  /** The connection is gone (either side ended it). */
  void onClosed() {
    closed = true;
    if (session != null) {
      session.close();
      registry.remove(session);
    }
  }

  @Override
  public Executor executor() {
    return executor;
  }

  @Override
  public void sendEvent(Delivery delivery) {
    transport.sendText(
        session.offsetIsEventOnly(delivery)
            ? delivery.frame(EVENT_FRAME)
            : delivery.frame(EVENT_FRAME, session.offset()));
    if (delivery.isLive()) {
      services.hub().observer().written(delivery);
    }
  }

  @Override
  public void send(String frame) {
    if (frame != null && !closed && transport != null) {
      transport.sendText(frame);
    }
  }

  @Override
  public ReplyCodec replies() {
    return SseReplies.INSTANCE;
  }

  /**
   * Ends the stream. A refusal (token expired or revoked, forbidden) is told first as {@code event:
   * error} {@code {code}}; going away and slow-consumer closes just end it, and {@code EventSource}
   * reconnects by itself with {@code Last-Event-ID}.
   */
  @Override
  public void close(int code, String reason) {
    if (closed) {
      return;
    }
    if (transport == null) {
      onClosed(); // not open yet: its follows are still pending; start() opens nothing then
      return;
    }
    String error =
        switch (code) {
          case CloseCodes.TOKEN_EXPIRED -> ErrorCodes.TOKEN_EXPIRED;
          case CloseCodes.UNAUTHORIZED -> ErrorCodes.UNAUTHORIZED;
          case CloseCodes.FORBIDDEN -> ErrorCodes.FORBIDDEN;
          case CloseCodes.RATE_LIMITED -> ErrorCodes.RATE_LIMITED;
          default -> null;
        };
    if (error != null) {
      send(SseReplies.INSTANCE.error(error, reason, null));
    }
    transport.close(code, reason);
  }

  private void recoveredFalse() {
    send(SseReplies.named("recovered-false", "{}"));
  }

  private void scheduleHeartbeat() {
    transport.schedule(
        () -> {
          if (!closed) {
            transport.sendText(HEARTBEAT);
            scheduleHeartbeat();
          }
        },
        heartbeat);
  }

  static byte[] frame(String envelopeJson, String offset) {
    StringBuilder out = new StringBuilder(envelopeJson.length() + 16 + offset.length());
    out.append("id: ").append(offset).append('\n');
    out.append("data: ").append(envelopeJson).append("\n\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
