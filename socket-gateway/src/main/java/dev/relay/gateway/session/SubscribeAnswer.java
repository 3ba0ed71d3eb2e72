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
 * live events — or, with {@code since}, the {@link Recovery} of the room, which answers and sends.
 * Every path answers exactly once, unless the session closed.
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
      followed(session, room, since, reply);
    }
  }

  private static void followed(
      ClientSession session, String room, String since, Reply<ClientSession.Subscribed> reply) {
    Optional<EventId> sinceId = since == null ? Optional.empty() : EventId.parse(since);
    if (sinceId.isEmpty()) {
      reply.ok(new ClientSession.Subscribed(room, false));
      session.release(room);
      return;
    }
    Recovery.run(
        session,
        Map.of(room, sinceId.get()),
        new Recovery.Plan() {
          @Override
          public void answer(boolean recovered) {
            reply.ok(new ClientSession.Subscribed(room, recovered));
          }

          @Override
          public void replayed(StoredEvent event) {
            session.channel().sendEvent(new Delivery(event));
          }
        });
  }
}
