package dev.relay.gateway.auth;

import java.time.Instant;

/**
 * What a verified subscription token grants: one room, until {@code expiresAt}.
 *
 * @param jti the token id, or null; revoking it closes connections that used it
 * @param issuedAt the token's {@code iat}, or null when it has none (then a removal from the room,
 *     SPEC §11, refuses it while the removal is kept)
 */
public record SubscriptionGrant(String room, String jti, Instant expiresAt, Instant issuedAt) {}
