package dev.relay.gateway.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are sent (docs/configuration.md). Validated by the server at start-up.
 *
 * @param url {@code RELAY_WEBHOOK_URL}
 * @param secret the first {@code RELAY_WEBHOOK_SECRET} key: signs every body (SPEC §2)
 * @param selection {@code RELAY_WEBHOOK_EVENTS} (default {@value WebhookSelection#DEFAULT})
 * @param retryWindow {@code RELAY_WEBHOOK_RETRY_WINDOW} (24 h): a webhook not delivered this long
 *     after it was queued is dead-lettered at its next failure
 * @param firstBackoff {@code RELAY_WEBHOOK_BACKOFF} (1 s): the wait after the first failure,
 *     doubled after each further one up to {@link #MAX_BACKOFF}
 * @param lease {@code RELAY_WEBHOOK_LEASE} (30 s): how long a claimed webhook is reserved for its
 *     gateway; a killed gateway's webhooks are retried by another after it. Each request times out
 *     at half the lease (at most 10 s), so a live gateway answers within its lease.
 * @param capacity {@code RELAY_WEBHOOK_QUEUE_MAX} (100 000): queued webhooks at most; more are
 *     refused, counted ({@code result="dropped"}) and logged
 * @param concurrency requests in flight per gateway (16)
 */
public record WebhookSettings(
    URI url,
    byte[] secret,
    WebhookSelection selection,
    Duration retryWindow,
    Duration firstBackoff,
    Duration lease,
    int capacity,
    int concurrency) {

  /** The longest wait between two attempts. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  /** Dead letters kept (the newest), in Redis {@code {relay:webhooks}:dead}, for inspection. */
  public static final int DEAD_LETTERS_KEPT = 1000;

  public WebhookSettings {
    Objects.requireNonNull(url, "url");
    secret = secret.clone();
    Objects.requireNonNull(selection, "selection");
  }

  /** The wait before attempt {@code attempt + 1}, after attempt {@code attempt} failed. */
  public Duration backoff(int attempt) {
    long millis = firstBackoff.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
    return millis <= 0 || millis > MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis(millis);
  }

  /** The timeout of one request: half the lease, at most 10 s. */
  public Duration requestTimeout() {
    Duration half = lease.dividedBy(2);
    return half.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : half;
  }

  /** The signing key (a copy). */
  @Override
  public byte[] secret() {
    return secret.clone();
  }
}
