package dev.relay.engine.webhook;

import java.time.Instant;

/**
 * One leased webhook: its unique {@code id}, the exact body to POST, which attempt this lease is (1
 * for the first), and when it was first queued (the start of its retry window).
 */
public record WebhookJob(String id, String body, int attempt, Instant firstQueuedAt) {}
