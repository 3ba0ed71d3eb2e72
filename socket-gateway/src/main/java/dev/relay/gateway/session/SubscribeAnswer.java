package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.EventId;
import dev.relay.engine.StoredEvent;
import dev.relay.gateway.hub.Delivery;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a {@code subscribe}, once the room's follow answered (on the session's
 * executor): a failed follow answers {@code unavailable} and leaves a room the subscribe joined; a
 * room left meanwhile answers {@code not_subscribed}; otherwise {@code subscribed}, then the held
 * live events — or, with {@code since} or {@code history}, the {@link Recovery} of the room, which
 * answers and sends. Every path answers exactly once, unless the session closed.
 */
final class SubscribeAnswer {

  private static final Logger LOG = LoggerFactory.getLogger(SubscribeAnswer.class);

  private SubscribeAnswer() {}

  static void answer(
      ClientSession session,
      String room,
      RoomState joined,
      boolean fresh,
      String since,
      Integer history,
      Reply<ClientSession.Subscribed> reply,
      Throwable failure) {
    if (session.isClosed()) {
      return;
    }
    if (!session.holds(room, joined)) {
      reply.error(ErrorCodes.NOT_SUBSCRIBED, "the room was left meanwhile");
    } else if (failure != null) {
      LOG.debug("follow of {} failed on {}: {}", room, session.id(), failure.toString());
      if (fresh) {
        session.leave(room);
      }
      reply.error(ErrorCodes.UNAVAILABLE, "try again later");
    } else {
      followed(session, room, since, history, reply);
    }
  }

  private static void followed(
      ClientSession session,
      String room,
      String since,
      Integer history,
      Reply<ClientSession.Subscribed> reply) {
    Optional<EventId> sinceId = since == null ? Optional.empty() : EventId.parse(since);
    if (sinceId.isEmpty() && history == null) {
      reply.ok(new ClientSession.Subscribed(room, false, null));
      session.release(room);
      return;
    }
    Recovery.Plan plan =
        new Recovery.Plan() {
          @Override
          public void answer(boolean recovered) {
            answer(recovered, 0);
          }

          @Override
          public void answer(boolean recovered, int sent) {
            Integer count = history == null ? null : recovered ? 0 : sent;
            reply.ok(new ClientSession.Subscribed(room, recovered, count));
          }

          @Override
          public void replayed(StoredEvent event) {
            session.channel().sendEvent(new Delivery(event));
          }
        };
    if (history == null) {
      Recovery.run(session, Map.of(room, sinceId.get()), plan);
    } else {
      Recovery.runWithHistory(session, room, sinceId.orElse(null), history, plan);
    }
  }
}
