package dev.relay.engine.webhook;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Webhooks waiting to be POSTed, shared by every gateway (SPEC §11): in Redis, so a queued webhook
 * outlives the gateway that queued it.
 *
 * <p>Guarantees, for every implementation:
 *
 * <ul>
 *   <li>A job stays queued from {@link #enqueue} until {@link #delivered} or {@link #deadLetter}
 *       removes it: at-least-once. {@link #claim} leases due jobs: a leased job is not handed out
 *       again until its lease runs out, and then to any instance — so the jobs of a killed gateway
 *       are retried by another after at most one lease.
 *   <li>Bounded: at {@link #capacity()} queued jobs {@link #enqueue} refuses (answers {@code
 *       false}) and stores nothing; the caller counts and logs it. The dead letters kept for
 *       inspection are bounded too; their count is not.
 *   <li>{@link #retry} and {@link #deadLetter} of a job already removed (delivered meanwhile by an
 *       instance whose lease came later) change nothing.
 * </ul>
 *
 * <p>Thread-safe; no method blocks its caller. Redis failures complete the stage with {@link
 * dev.relay.engine.EngineUnavailableException}.
 */
public interface WebhookQueue extends AutoCloseable {

  /**
   * Queues {@code body} under {@code id}, due at once. Completes with {@code true} when queued (or
   * already queued under that id), {@code false} when refused because the queue is full.
   */
  CompletionStage<Boolean> enqueue(String id, String body);

  /**
   * Leases up to {@code max} due jobs, oldest due first, for {@code lease}; each claim counts as
   * one attempt.
   */
  CompletionStage<List<WebhookJob>> claim(int max, Duration lease);

  /** Removes a delivered job. */
  CompletionStage<Void> delivered(String id);

  /** Makes a job due again {@code delay} from now (the lease is replaced). */
  CompletionStage<Void> retry(String id, Duration delay);

  /** Removes a job for good, keeps it among the last dead letters, and counts it. */
  CompletionStage<Void> deadLetter(String id);

  /** How many jobs were ever dead-lettered (across instances, for Redis). */
  CompletionStage<Long> deadLettered();

  /** How many jobs are queued (due or leased). */
  CompletionStage<Long> size();

  /** The most jobs held at once. */
  int capacity();

  @Override
  void close();
}
