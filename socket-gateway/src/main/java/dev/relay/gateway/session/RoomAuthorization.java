package dev.relay.gateway.session;

import dev.relay.contracts.ErrorCodes;
import dev.relay.contracts.RoomName;
import dev.relay.gateway.auth.ConnectionGrant;
import dev.relay.gateway.auth.SubscriptionGrant;
import dev.relay.gateway.auth.TokenCheck;
import dev.relay.gateway.auth.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who allows a connection to join a room (SPEC §4): its connection token, or a subscription token
 * for that room and user, or nobody ({@code refusal} {@code forbidden}). A token issued before the
 * user was removed from the room ({@link RoomRemovals}, SPEC §11) does not count. A refused
 * subscription token is logged with its reason; the client only learns {@code forbidden}.
 * Thread-safe.
 *
 * @param refusal null when allowed, else the error code
 * @param subscription the subscription token that allowed it, or null
 */
record RoomAuthorization(String refusal, SubscriptionGrant subscription) {

  private static final Logger LOG = LoggerFactory.getLogger(RoomAuthorization.class);

  static RoomAuthorization check(
      TokenVerifier tokens,
      RoomRemovals removals,
      ConnectionGrant grant,
      RoomName room,
      String subscriptionToken,
      String connectionId) {
    String name = room.toString();
    if (grant.allows(room)) {
      if (!removals.bars(name, grant.sub(), grant.issuedAt())) {
        return new RoomAuthorization(null, null);
      }
      LOG.info("connection token of {} issued before its removal from the room", connectionId);
    }
    if (subscriptionToken == null) {
      return new RoomAuthorization(ErrorCodes.FORBIDDEN, null);
    }
    TokenCheck<SubscriptionGrant> check =
        tokens.verifySubscription(subscriptionToken, grant.sub(), name);
    if (check instanceof TokenCheck.Refused<SubscriptionGrant> refused) {
      LOG.info("subscription token refused on {}: {}", connectionId, refused.reason());
      return new RoomAuthorization(ErrorCodes.FORBIDDEN, null);
    }
    SubscriptionGrant subscription = ((TokenCheck.Valid<SubscriptionGrant>) check).grant();
    if (removals.bars(name, grant.sub(), subscription.issuedAt())) {
      LOG.info("subscription token on {} issued before the removal from the room", connectionId);
      return new RoomAuthorization(ErrorCodes.FORBIDDEN, null);
    }
    return new RoomAuthorization(null, subscription);
  }
}
