package dev.relay.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.contracts.Envelope;
import dev.relay.contracts.EnvelopeCodec;
import dev.relay.engine.webhook.WebhookJob;
import dev.relay.engine.webhook.WebhookQueue;
import dev.relay.gateway.session.ClientEventSink;
import dev.relay.gateway.session.LifecycleSink;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhooks (SPEC §7, §11) through the shared {@link WebhookQueue}: an event selected by
 * {@link WebhookSelection} is only queued where it happens (never waits for the receiver); every
 * gateway claims due webhooks from the queue and POSTs them, signed as publish-api requests ({@code
 * X-Relay-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, {@code
 * X-Relay-Event-Id}, {@code X-Relay-Delivery-Attempt}).
 *
 * <p>Guarantees: at-least-once — a webhook leaves the queue only when the receiver answered 2xx or
 * it is dead-lettered; a webhook claimed by a gateway that dies is claimed again by another after
 * the lease. A failed attempt is retried after {@link WebhookSettings#backoff} (1 s, 2 s, 4 s … 10
 * min); once the next attempt would fall outside {@link WebhookSettings#retryWindow} of its first
 * queuing, it is dead-lettered and counted. When the queue is full or Redis is down, a new webhook
 * is dropped, counted and logged. Receivers de-duplicate by the envelope {@code id}.
 */
public final class WebhookDispatcher implements ClientEventSink, LifecycleSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 200;
  private static final int CLAIM_MAX = 32;

  private final WebhookQueue queue;
  private final WebhookSettings settings;
  private final Clock clock;
  private final byte[] secret;
  private final Semaphore inFlight;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-webhook");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean claiming = new AtomicBoolean();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong deadLetterTotal = new AtomicLong();
  private volatile boolean running = true;

  public WebhookDispatcher(WebhookQueue queue, WebhookSettings settings, Clock clock) {
    this.queue = queue;
    this.settings = settings;
    this.clock = clock;
    this.secret = settings.secret();
    this.inFlight = new Semaphore(settings.concurrency());
  }

  /** Starts claiming and sending. */
  public WebhookDispatcher start() {
    poller.scheduleWithFixedDelay(this::claim, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    poller.scheduleWithFixedDelay(this::refreshDeadLetters, 0, 5, TimeUnit.SECONDS);
    return this;
  }

  @Override
  public void published(String envelopeJson) {
    JsonNode envelope = parse(envelopeJson);
    if (envelope != null && settings.selection().client(envelope.path("type").asText())) {
      enqueue(envelope.path("id").asText(), envelopeJson);
    }
  }

  @Override
  public void presence(String type, String envelopeJson) {
    if (settings.selection().matches(type)) {
      JsonNode envelope = parse(envelopeJson);
      if (envelope != null) {
        enqueue(envelope.path("id").asText(), envelopeJson);
      }
    }
  }

  @Override
  public void room(String type, String room) {
    if (settings.selection().matches(type)) {
      String id = "wh-" + UUID.randomUUID();
      enqueue(
          id,
          EnvelopeCodec.encode(
              new Envelope(
                  id,
                  room,
                  type,
                  JsonNodeFactory.instance.objectNode(),
                  null,
                  clock.instant(),
                  null,
                  null)));
    }
  }

  public long delivered() {
    return delivered.sum();
  }

  public long failedAttempts() {
    return failedAttempts.sum();
  }

  /** Webhooks this gateway dead-lettered. */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Webhooks this gateway could not queue (queue full or Redis down). */
  public long dropped() {
    return dropped.sum();
  }

  /** Webhooks ever dead-lettered by any gateway, as last read from the queue (every 5 s). */
  public long deadLetterTotal() {
    return deadLetterTotal.get();
  }

  /**
   * Stops claiming. Webhooks in flight keep their lease: if their answer is lost with this process,
   * another gateway sends them again after the lease.
   */
  @Override
  public void close() {
    running = false;
    poller.shutdownNow();
  }

  private void enqueue(String id, String body) {
    if (id.isEmpty()) {
      dropped.increment();
      LOG.warn("webhook without an id not queued");
      return;
    }
    queue
        .enqueue(id, body)
        .whenComplete(
            (queued, failure) -> {
              if (failure != null || !queued) {
                dropped.increment();
                LOG.warn(
                    "webhook {} dropped: {}",
                    id,
                    failure != null
                        ? failure.toString()
                        : "queue full (RELAY_WEBHOOK_QUEUE_MAX=" + queue.capacity() + ")");
              }
            });
  }

  private void claim() {
    int free = inFlight.availablePermits();
    if (!running || free == 0 || !claiming.compareAndSet(false, true)) {
      return;
    }
    queue
        .claim(Math.min(free, CLAIM_MAX), settings.lease())
        .whenComplete(
            (jobs, failure) -> {
              claiming.set(false);
              if (failure != null) {
                LOG.debug("webhook claim failed: {}", failure.toString());
                return;
              }
              sendAll(jobs);
            });
  }

  private void sendAll(List<WebhookJob> jobs) {
    for (WebhookJob job : jobs) {
      // never waits (this runs on a Redis thread): only this method takes permits, one claim runs
      // at a time, and it asked for at most the permits that were free
      inFlight.acquireUninterruptibly();
      send(job);
    }
  }

  private void send(WebhookJob job) {
    long now = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("X-Relay-Signature", WebhookSignature.sign(secret, now, job.body()))
            .header("X-Relay-Event-Id", job.id())
            .header("X-Relay-Delivery-Attempt", Integer.toString(job.attempt()))
            .POST(HttpRequest.BodyPublishers.ofString(job.body()))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              inFlight.release();
              if (failure == null && response.statusCode() / 100 == 2) {
                delivered.increment();
                queue.delivered(job.id()).whenComplete(this::logLost);
                return;
              }
              failedAttempts.increment();
              failed(job, failure != null ? failure.toString() : "HTTP " + response.statusCode());
            });
  }

  private void failed(WebhookJob job, String why) {
    Duration delay = settings.backoff(job.attempt());
    Instant giveUp = job.firstQueuedAt().plus(settings.retryWindow());
    if (clock.instant().plus(delay).isAfter(giveUp)) {
      deadLettered.increment();
      LOG.warn(
          "webhook {} dead-lettered after {} attempts ({} retry window): {}",
          job.id(),
          job.attempt(),
          settings.retryWindow(),
          why);
      queue.deadLetter(job.id()).whenComplete(this::logLost);
      return;
    }
    LOG.info(
        "webhook {} attempt {} failed ({}); retry in {} ms",
        job.id(),
        job.attempt(),
        why,
        delay.toMillis());
    queue.retry(job.id(), delay).whenComplete(this::logLost);
  }

  private void refreshDeadLetters() {
    queue
        .deadLettered()
        .whenComplete(
            (count, failure) -> {
              if (failure == null) {
                deadLetterTotal.set(count);
              }
            });
  }

  /** A queue update that failed only delays the webhook: its lease runs out and it is retried. */
  private void logLost(Object ignored, Throwable failure) {
    if (failure != null) {
      LOG.warn(
          "webhook queue update failed (the webhook is retried after its lease): {}",
          failure.toString());
    }
  }

  private static JsonNode parse(String envelopeJson) {
    try {
      return JSON.readTree(envelopeJson);
    } catch (IOException e) {
      LOG.warn("webhook body is not JSON; not queued");
      return null;
    }
  }
}
