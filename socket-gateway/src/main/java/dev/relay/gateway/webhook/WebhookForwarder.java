package dev.relay.gateway.webhook;

import dev.relay.gateway.session.ClientEventSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs client-published events to {@code RELAY_WEBHOOK_URL} (SPEC §7), signed like publish-api
 * requests: {@code X-Relay-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}.
 *
 * <p>Guarantees: delivery to the room never waits for the webhook ({@link #published} only
 * enqueues). Each event is attempted until the receiver answers 2xx, up to {@code maxAttempts},
 * with exponential backoff (1 s, 2 s, 4 s … capped at 60 s); at most {@code concurrency} requests
 * are in flight. The queue is bounded: when the receiver is down long enough to fill it, new events
 * are dropped and counted ({@link #dropped()}). At-least-once: a receiver must deduplicate by the
 * envelope {@code id} (also sent as {@code X-Relay-Event-Id}).
 */
public final class WebhookForwarder implements ClientEventSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookForwarder.class);

  private record Job(String body, String eventId, int attempt) {}

  private final URI url;
  private final byte[] secret;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Clock clock;
  private final BlockingQueue<Job> queue;
  private final Semaphore inFlight;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "relay-webhook");
            t.setDaemon(true);
            return t;
          });
  private final Thread dispatcher;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile boolean running = true;

  public WebhookForwarder(
      URI url,
      byte[] secret,
      int queueCapacity,
      int concurrency,
      int maxAttempts,
      Duration firstBackoff,
      Clock clock) {
    this.url = url;
    this.secret = secret.clone();
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.inFlight = new Semaphore(concurrency);
    this.dispatcher = new Thread(this::dispatch, "relay-webhook-dispatch");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  @Override
  public void published(String envelopeJson) {
    String id = idOf(envelopeJson);
    if (!queue.offer(new Job(envelopeJson, id, 1))) {
      dropped.increment();
      LOG.warn("webhook queue full; event {} dropped", id);
    }
  }

  public long delivered() {
    return delivered.sum();
  }

  public long failedAttempts() {
    return failedAttempts.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public int queued() {
    return queue.size();
  }

  /** The signature header value for {@code body} at {@code unixSeconds}. */
  public static String signature(byte[] secret, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public void close() {
    running = false;
    dispatcher.interrupt();
    scheduler.shutdownNow();
  }

  private void dispatch() {
    while (running) {
      try {
        Job job = queue.take();
        inFlight.acquire();
        send(job);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(Job job) {
    long now = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("X-Relay-Signature", signature(secret, now, job.body()))
            .header("X-Relay-Event-Id", job.eventId())
            .header("X-Relay-Delivery-Attempt", Integer.toString(job.attempt()))
            .POST(HttpRequest.BodyPublishers.ofString(job.body()))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              inFlight.release();
              if (failure == null && response.statusCode() / 100 == 2) {
                delivered.increment();
                return;
              }
              failedAttempts.increment();
              String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
              retry(job, why);
            });
  }

  private void retry(Job job, String why) {
    if (job.attempt() >= maxAttempts || !running) {
      dropped.increment();
      LOG.warn(
          "webhook gave up on event {} after {} attempts: {}", job.eventId(), job.attempt(), why);
      return;
    }
    long delay = Math.min(60_000, firstBackoff.toMillis() << Math.min(job.attempt() - 1, 16));
    LOG.info(
        "webhook attempt {} for {} failed ({}); retry in {} ms",
        job.attempt(),
        job.eventId(),
        why,
        delay);
    scheduler.schedule(
        () -> {
          if (!queue.offer(new Job(job.body(), job.eventId(), job.attempt() + 1))) {
            dropped.increment();
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  /** The envelope id, read without parsing the whole JSON (it is always the second field). */
  private static String idOf(String envelopeJson) {
    int start = envelopeJson.indexOf("\"id\":\"");
    if (start < 0) {
      return "";
    }
    int from = start + 6;
    int end = envelopeJson.indexOf('"', from);
    return end < 0 ? "" : envelopeJson.substring(from, end);
  }
}
