package dev.relay.publish.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.engine.Appended;
import dev.relay.engine.EngineUnavailableException;
import dev.relay.engine.EventDraft;
import dev.relay.engine.EventLog;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.events.PublishMetrics.Result;
import dev.relay.publish.ratelimit.PublishRateLimiter;
import dev.relay.service.http.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The publish use case of SPEC §2, transport-neutral: size limit, authentication, content type,
 * validation, the per-IP limit, then the append, which takes the room's token in the same step (one
 * round trip; a refused IP spends no room token).
 *
 * <p>Guarantees: a stage completes successfully only after the engine stored the event (or found
 * its nonce already stored); every failure completes the stage with a {@link ProblemException}
 * carrying the status and stable code (503 {@code unavailable} with {@code Retry-After: 1} when the
 * engine is down, in which case nothing a retry could duplicate was stored). Every outcome is
 * counted once per event in {@code relay_publish_total{result}}. Never blocks; thread-safe.
 */
public final class Publisher {

  private final PublishSettings settings;
  private final PublishAuthenticator authenticator;
  private final EventParser parser;
  private final PublishRateLimiter rateLimiter;
  private final EventLog eventLog;
  private final PublishMetrics metrics;
  private final AnswerDeadlines deadlines;

  /** How long the store may take before a publish is answered 503 (SPEC §2: within 1 s). */
  public static final Duration ANSWER_DEADLINE = Duration.ofMillis(800);

  public Publisher(
      PublishSettings settings,
      PublishAuthenticator authenticator,
      EventParser parser,
      PublishRateLimiter rateLimiter,
      EventLog eventLog,
      PublishMetrics metrics,
      AnswerDeadlines deadlines) {
    this.deadlines = deadlines;
    this.settings = settings;
    this.authenticator = authenticator;
    this.parser = parser;
    this.rateLimiter = rateLimiter;
    this.eventLog = eventLog;
    this.metrics = metrics;
  }

  /** Publishes one event; completes with the engine's answer once it is stored. */
  public CompletionStage<Appended> publish(PublishRequest request) {
    long start = System.nanoTime();
    long storeStart = start;
    CompletableFuture<Appended> result;
    try {
      admit(request, settings.maxSingleBodyBytes());
      EventDraft draft =
          parser.parse(
              parser.readObject(request.body()), request.idempotencyKey(), request.traceparent());
      storeStart = System.nanoTime();
      result =
          rateLimit(request.clientIp())
              .thenCompose(
                  refused ->
                      refused != null
                          ? CompletableFuture.<Appended>failedFuture(refused)
                          : eventLog.append(draft.withRoomLimit(rateLimiter.perRoom())))
              .toCompletableFuture()
              .handle(this::stored);
    } catch (ProblemException e) {
      count(e);
      result = CompletableFuture.failedFuture(e);
    }
    return finish(result, start, storeStart);
  }

  /**
   * Publishes up to {@link PublishSettings#MAX_BATCH} events. The whole request fails only for
   * request-level problems (size, credentials, content type, malformed body, count, engine down);
   * otherwise each event has its own outcome, in request order.
   */
  public CompletionStage<List<BatchOutcome>> publishBatch(PublishRequest request) {
    long start = System.nanoTime();
    long storeStart = start;
    CompletableFuture<List<BatchOutcome>> result;
    try {
      admit(request, settings.maxBatchBodyBytes());
      JsonNode events = batchEvents(request);
      List<BatchOutcome> outcomes = new ArrayList<>(events.size());
      List<EventDraft> drafts = new ArrayList<>();
      for (JsonNode event : events) {
        try {
          drafts.add(parser.parse(event, null, request.traceparent()));
          outcomes.add(null);
        } catch (ProblemException e) {
          count(e);
          outcomes.add(BatchOutcome.of(e));
        }
      }
      storeStart = System.nanoTime();
      result = appendValid(request.clientIp(), drafts, outcomes);
    } catch (ProblemException e) {
      count(e);
      result = CompletableFuture.failedFuture(e);
    }
    return finish(result, start, storeStart);
  }

  /**
   * Parses and validates one line of a stream (SPEC §12) exactly like the body of a single publish;
   * the stream's request was authenticated once. A refusal is counted and thrown.
   */
  public EventDraft parseLine(byte[] line, String traceparent) {
    try {
      if (line.length > settings.maxSingleBodyBytes()) {
        throw lineTooLarge(settings.maxSingleBodyBytes());
      }
      return parser.parse(parser.readObject(line), null, traceparent);
    } catch (ProblemException e) {
      count(e);
      throw e;
    }
  }

  /** The 413 of a stream line over {@code maxBytes}; counted once. */
  public ProblemException refuseLine(long maxBytes) {
    ProblemException e = lineTooLarge(maxBytes);
    count(e);
    return e;
  }

  private static ProblemException lineTooLarge(long maxBytes) {
    return new ProblemException(
        413, ErrorCodes.PAYLOAD_TOO_LARGE, "line exceeds " + maxBytes + " bytes", "line", 0);
  }

  /**
   * Takes the one rate-limit token of a whole stream (SPEC §12: per IP and per room, one each, not
   * one per line). Completes with null when the stream may go, else with the 429 (counted).
   */
  public CompletionStage<ProblemException> admitStream(String clientIp, String room) {
    return rateLimiter
        .acquireStream(clientIp, room)
        .thenApply(
            decision -> {
              ProblemException refused = decision.problem();
              if (refused != null) {
                count(refused);
              }
              return refused;
            });
  }

  /**
   * Appends one validated line of a stream; the same guarantees as {@link #publish}: completes once
   * stored, or with a {@link ProblemException} (503 {@code unavailable} within {@link
   * #answerDeadline} when the engine is down or slow).
   */
  public CompletionStage<Appended> appendLine(EventDraft draft) {
    long start = System.nanoTime();
    return finish(eventLog.append(draft).toCompletableFuture().handle(this::stored), start, start);
  }

  /**
   * The outcome of one append: counted; failures and engine refusals (a delta out of sequence, 409;
   * the room's limit, 429) translated to the client's problem.
   */
  private Appended stored(Appended appended, Throwable error) {
    if (error != null) {
      throw translate(error);
    }
    if (appended.isRejected()) {
      throw translate(StreamRefusals.problem(appended));
    }
    metrics.accepted(appended.room(), appended.duplicate());
    return appended;
  }

  /**
   * Records the latency and completes with the plain exception (never a {@link CompletionException}
   * wrapper), so exception handlers see the {@link ProblemException}. Whatever the store does, the
   * answer comes within {@link #answerDeadline} of {@code storeStart} (when rate limiting and the
   * append began; parsing is bounded by the body limits): past it, 503 {@code unavailable} (an
   * append still under way may yet be stored, which is why a retry must reuse its nonce).
   */
  private <T> CompletionStage<T> finish(CompletableFuture<T> result, long start, long storeStart) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    result.whenComplete(
        (value, error) -> {
          if (error != null) {
            answer.completeExceptionally(unwrap(error));
          } else {
            answer.complete(value);
          }
        });
    deadlines.bound(
        answer,
        storeStart,
        () -> {
          if (answer.completeExceptionally(timedOut())) {
            metrics.record(Result.UNAVAILABLE);
            metrics.error("engine_timeout");
          }
        });
    answer.whenComplete((value, error) -> metrics.latencyNanos(System.nanoTime() - start));
    return answer;
  }

  private static ProblemException timedOut() {
    return new ProblemException(
        503,
        ErrorCodes.UNAVAILABLE,
        "the event store did not answer in time; retry with the same nonce",
        null,
        1);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Takes each valid event's IP token, then appends those allowed in one call, each taking its
   * room's token in its append. A rate-limited event (by IP or room) is one 429 outcome; the others
   * are still appended. Only a failing store fails the whole batch.
   */
  private CompletableFuture<List<BatchOutcome>> appendValid(
      String clientIp, List<EventDraft> drafts, List<BatchOutcome> outcomes) {
    if (drafts.isEmpty()) {
      return CompletableFuture.completedFuture(outcomes);
    }
    List<CompletableFuture<ProblemException>> limits = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      limits.add(rateLimit(clientIp).toCompletableFuture());
    }
    return CompletableFuture.allOf(limits.toArray(CompletableFuture[]::new))
        .thenCompose(
            ignored -> {
              List<EventDraft> allowed = new ArrayList<>();
              List<Integer> slots = new ArrayList<>();
              int next = 0;
              for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) != null) {
                  continue;
                }
                ProblemException refused = limits.get(next).join();
                if (refused != null) {
                  count(refused);
                  outcomes.set(i, BatchOutcome.of(refused));
                } else {
                  allowed.add(drafts.get(next).withRoomLimit(rateLimiter.perRoom()));
                  slots.add(i);
                }
                next++;
              }
              if (allowed.isEmpty()) {
                return CompletableFuture.completedFuture(outcomes);
              }
              return eventLog
                  .appendAll(allowed)
                  .thenApply(
                      appended -> {
                        for (int k = 0; k < slots.size(); k++) {
                          Appended one = appended.get(k);
                          if (one.isRejected()) {
                            ProblemException refused = StreamRefusals.problem(one);
                            count(refused);
                            outcomes.set(slots.get(k), BatchOutcome.of(refused));
                            continue;
                          }
                          metrics.accepted(one.room(), one.duplicate());
                          outcomes.set(slots.get(k), BatchOutcome.of(one));
                        }
                        return outcomes;
                      });
            })
        .handle(
            (done, error) -> {
              if (error != null) {
                throw translate(error);
              }
              return done;
            });
  }

  private JsonNode batchEvents(PublishRequest request) {
    if (request.idempotencyKey() != null) {
      throw ProblemException.invalid(
          "Idempotency-Key", "Idempotency-Key is not supported on a batch: set nonce per event");
    }
    JsonNode events = parser.readObject(request.body()).get("events");
    if (events == null || !events.isArray()) {
      throw ProblemException.invalid("events", "events must be an array of event objects");
    }
    if (events.isEmpty() || events.size() > PublishSettings.MAX_BATCH) {
      throw ProblemException.invalid(
          "events", "events must hold 1 to " + PublishSettings.MAX_BATCH + " events");
    }
    return events;
  }

  /** Size, credentials and content type, in that order. */
  private void admit(PublishRequest request, long maxBodyBytes) {
    if (request.body().length > maxBodyBytes) {
      throw new ProblemException(
          413,
          ErrorCodes.PAYLOAD_TOO_LARGE,
          "request body exceeds " + maxBodyBytes + " bytes",
          "body",
          0);
    }
    if (!authenticator.authenticate(request.authorization(), request.signature(), request.body())) {
      throw new ProblemException(
          401,
          ErrorCodes.UNAUTHORIZED,
          "missing or invalid credentials: send Authorization: Bearer <key> or X-Relay-Signature",
          null,
          0);
    }
    if (!isJson(request.contentType())) {
      throw new ProblemException(
          415,
          ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
          "send Content-Type: application/json",
          "Content-Type",
          0);
    }
  }

  /** The per-IP token: completes with null when the event may go, or with the 429 to answer. */
  private CompletionStage<ProblemException> rateLimit(String clientIp) {
    return rateLimiter.acquireIp(clientIp).thenApply(PublishRateLimiter.Decision::problem);
  }

  /** Any failure after admission, as the ProblemException the client gets; counted once. */
  private ProblemException translate(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof ProblemException problem) {
      count(problem);
      return problem;
    }
    metrics.record(Result.UNAVAILABLE);
    metrics.error(cause instanceof EngineUnavailableException ? "engine_unavailable" : "internal");
    return new ProblemException(
        503, ErrorCodes.UNAVAILABLE, "the event store is unreachable; retry shortly", null, 1);
  }

  private void count(ProblemException e) {
    metrics.record(
        switch (e.status()) {
          case 401 -> Result.UNAUTHORIZED;
          case 413 -> Result.TOO_LARGE;
          case 429 -> Result.RATE_LIMITED;
          case 503 -> Result.UNAVAILABLE;
          default -> Result.INVALID;
        });
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
