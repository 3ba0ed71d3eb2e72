package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventType;
import dev.relay.engine.Appended;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.engine.ratelimit.RateDecision;
import dev.relay.engine.ratelimit.RateLimiter;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-published events (SPEC §7), checked in this order: scope {@code publish}, a room the
 * connection is in, a valid and non-reserved event name ({@link EventType#isRelayGenerated}), the
 * payload size, the event contract, the per-connection rate limit of the event's family. Then the
 * event is appended with {@code actor} = the token's {@code sub} — through the same streams as
 * published events, so every gateway delivers it — and its stored envelope (the exact JSON every
 * subscriber receives, same {@code id} and {@code publishedAt}) is handed to the sink (the webhook;
 * not for {@code message.delta}s, which are volatile pieces: the {@code message.completed} carries
 * the whole text). A streamed-message event the engine refuses (SPEC §12: a seq gap, a closed
 * message, the text cap, the open-messages cap) is answered with the engine's code; a repeated
 * delta seq is acknowledged with the id of the message's newest delta. Replies on {@code executor}.
 * Thread-safe; holds no per-connection state.
 */
public final class ClientEventPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(ClientEventPublisher.class);

  private final EventLog log;
  private final ClientEventValidator validator;
  private final RateLimiter limiter;
  private final ClientEventLimits eventLimits;
  private final ClientEventSink sink;
  private final int maxPayloadBytes;

  public ClientEventPublisher(
      EventLog log,
      ClientEventValidator validator,
      RateLimiter limiter,
      ClientEventLimits eventLimits,
      ClientEventSink sink,
      int maxPayloadBytes) {
    this.log = log;
    this.validator = validator;
    this.limiter = limiter;
    this.eventLimits = eventLimits;
    this.sink = sink;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * @param connectionId the rate-limit bucket's owner
   * @param joined whether the connection is in {@code room}
   */
  public void publish(
      String connectionId,
      ConnectionGrant grant,
      boolean joined,
      String room,
      String type,
      ObjectNode payload,
      Executor executor,
      Reply<String> reply) {
    String json = payload.toString();
    String refusal = check(grant, joined, type, payload, json);
    if (refusal != null) {
      int colon = refusal.indexOf(':');
      reply.error(refusal.substring(0, colon), refusal.substring(colon + 1));
      return;
    }
    String pattern = eventLimits.patternFor(type);
    CompletionStage<RateDecision> allowed =
        pattern == null
            ? CompletableFuture.completedFuture(new RateDecision(true, 0))
            : limiter.tryAcquire(
                "evt:" + connectionId + ":" + pattern, eventLimits.limit(pattern), 1);
    allowed
        .thenCompose(
            decision ->
                decision.allowed()
                    ? log.append(new EventDraft(room, type, json, null, null, grant.sub(), null))
                    : CompletableFuture.completedFuture((Appended) null))
        .whenCompleteAsync(
            (appended, failure) -> {
              if (failure != null) {
                LOG.warn("client publish failed: {}", failure.toString());
                reply.error(ErrorCodes.UNAVAILABLE, "try again");
              } else if (appended == null) {
                reply.error(ErrorCodes.RATE_LIMITED, "too many " + pattern + " events");
              } else if (appended.isRejected()) {
                reply.error(appended.rejected(), "refused by the message's stream state");
              } else {
                reply.ok(appended.id().toString());
                if (appended.envelopeJson() != null && !EventType.MESSAGE_DELTA.equals(type)) {
                  sink.published(appended.envelopeJson());
                }
              }
            },
            executor);
  }

  /**
   * {@code presence.set} (SPEC §11): scope {@code presence} or {@code publish}, a room the
   * connection is in, then the per-connection limit of {@link ClientEventLimits#PRESENCE_SET} (as
   * typing, default 5/s); then the directory stores the state and tells the room. The size was
   * checked by the decoder. Replies on {@code executor}.
   */
  public void setPresence(
      String connectionId,
      ConnectionGrant grant,
      boolean joined,
      String room,
      String state,
      PresenceDirectory presence,
      Executor executor,
      Reply<Boolean> reply) {
    if (!grant.has(Scope.PRESENCE) && !grant.has(Scope.PUBLISH)) {
      reply.error(ErrorCodes.FORBIDDEN, "the token has no presence or publish scope");
      return;
    }
    if (!joined) {
      reply.error(ErrorCodes.NOT_SUBSCRIBED, "not subscribed to this room");
      return;
    }
    String pattern = eventLimits.patternFor(ClientEventLimits.PRESENCE_SET);
    CompletionStage<RateDecision> allowed =
        pattern == null
            ? CompletableFuture.completedFuture(new RateDecision(true, 0))
            : limiter.tryAcquire(
                "evt:" + connectionId + ":" + pattern, eventLimits.limit(pattern), 1);
    allowed
        .thenCompose(
            decision ->
                decision.allowed()
                    ? presence.setState(room, grant.sub(), state)
                    : CompletableFuture.completedFuture((Boolean) null))
        .whenCompleteAsync(
            (stored, failure) -> {
              if (failure != null) {
                LOG.warn("presence.set failed: {}", failure.toString());
                reply.error(ErrorCodes.UNAVAILABLE, "try again");
              } else if (stored == null) {
                reply.error(ErrorCodes.RATE_LIMITED, "too many presence.set requests");
              } else if (!stored) {
                reply.error(ErrorCodes.NOT_SUBSCRIBED, "not a member of this room");
              } else {
                reply.ok(true);
              }
            },
            executor);
  }

  /** Null when the event may go on; else {@code code:detail}. */
  private String check(
      ConnectionGrant grant, boolean joined, String type, ObjectNode payload, String json) {
    if (!grant.has(Scope.PUBLISH)) {
      return ErrorCodes.FORBIDDEN + ":the token has no publish scope";
    }
    if (!joined) {
      return ErrorCodes.FORBIDDEN + ":publish only to rooms this connection is in";
    }
    if (!EventType.isValidName(type) || EventType.isRelayGenerated(type)) {
      return ErrorCodes.INVALID_MESSAGE + ":invalid event name";
    }
    if (json.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
      return ErrorCodes.PAYLOAD_TOO_LARGE + ":payload too large";
    }
    List<String> problems = validator.validate(type, payload);
    return problems.isEmpty() ? null : ErrorCodes.INVALID_MESSAGE + ":" + problems.get(0);
  }
}
