package dev.relay.gateway.auth;

import java.time.Instant;

/**
 * What a verified subscription token grants: one room, until {@code expiresAt}.
 *
 * @param jti the token id, or null; revoking it closes connections that used it
 */
public record SubscriptionGrant(String room, String jti, Instant expiresAt) {}
