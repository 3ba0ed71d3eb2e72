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
 * for that room and user, or nobody ({@code refusal} {@code forbidden}). A refused subscription
 * token is logged with its reason; the client only learns {@code forbidden}. Thread-safe.
 *
 * @param refusal null when allowed, else the error code
 * @param subscription the subscription token that allowed it, or null
 */
record RoomAuthorization(String refusal, SubscriptionGrant subscription) {

  private static final Logger LOG = LoggerFactory.getLogger(RoomAuthorization.class);

  static RoomAuthorization check(
      TokenVerifier tokens,
      ConnectionGrant grant,
      RoomName room,
      String subscriptionToken,
      String connectionId) {
    if (grant.allows(room)) {
      return new RoomAuthorization(null, null);
    }
    if (subscriptionToken == null) {
      return new RoomAuthorization(ErrorCodes.FORBIDDEN, null);
    }
    TokenCheck<SubscriptionGrant> check =
        tokens.verifySubscription(subscriptionToken, grant.sub(), room.toString());
    if (check instanceof TokenCheck.Refused<SubscriptionGrant> refused) {
      LOG.info("subscription token refused on {}: {}", connectionId, refused.reason());
      return new RoomAuthorization(ErrorCodes.FORBIDDEN, null);
    }
    return new RoomAuthorization(null, ((TokenCheck.Valid<SubscriptionGrant>) check).grant());
  }
}
