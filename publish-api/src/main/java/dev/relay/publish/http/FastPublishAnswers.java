package dev.relay.publish.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.relay.engine.Appended;
import dev.relay.service.http.FallbackExceptionHandler;
import dev.relay.service.http.Problem;
import dev.relay.service.http.ProblemException;
import dev.relay.service.http.ProblemResponses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The answers of {@link FastPublishHandler}, byte for byte those Micronaut gives for {@code POST
 * /v1/events} (apart from {@code date}): the 202 {@code {"id","room","duplicate"}} of {@link
 * PublishController#publish}, the problem details of {@code ProblemExceptionHandler} and {@code
 * FallbackExceptionHandler}, with the headers, their order and spelling, of Micronaut's server and
 * {@code SecurityHeadersFilter}. Also records {@code http.server.requests} as Micronaut's metrics
 * filter does. Thread-safe.
 */
final class FastPublishAnswers {

  static final String REQUESTS_TIMER = "http.server.requests";
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final MeterRegistry meters;
  private final FallbackExceptionHandler fallback;
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  /** The {@code date} header of the current second, formatted once per second. */
  private static volatile DateHeader date = new DateHeader(0, "");

  private record DateHeader(long second, String text) {}

  FastPublishAnswers(MeterRegistry meters, FallbackExceptionHandler fallback) {
    this.meters = meters;
    this.fallback = fallback;
  }

  /** 202 with the stored event's id, room and whether its nonce was a duplicate. */
  FullHttpResponse accepted(ByteBufAllocator alloc, Appended appended) {
    ByteBuf body =
        json(
            alloc.buffer(96),
            json -> {
              json.writeStringField("id", appended.id().toString());
              json.writeStringField("room", appended.room());
              json.writeBooleanField("duplicate", appended.duplicate());
            });
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.ACCEPTED, body);
    HttpHeaders headers = response.headers();
    headers.add("date", now());
    securityHeaders(headers);
    headers.add("content-type", "application/json");
    headers.add("content-length", body.readableBytes());
    return response;
  }

  /**
   * The problem details answer to a failed publish: a {@link ProblemException}'s own, else (a bug)
   * 503 {@code unavailable}, counted and logged by {@link FallbackExceptionHandler#report}.
   */
  FullHttpResponse failed(ByteBufAllocator alloc, Throwable error, String method, String path) {
    if (error instanceof ProblemException problem) {
      return problem(alloc, problem.toProblem(), problem.retryAfterSeconds());
    }
    fallback.report(method, path, error);
    return problem(alloc, ProblemResponses.unavailable(FallbackExceptionHandler.DETAIL).body(), 1);
  }

  private static FullHttpResponse problem(ByteBufAllocator alloc, Problem p, int retryAfter) {
    ByteBuf body =
        json(
            alloc.buffer(256),
            json -> {
              json.writeStringField("type", p.type());
              json.writeStringField("title", p.title());
              json.writeNumberField("status", p.status());
              json.writeStringField("detail", p.detail());
              json.writeStringField("code", p.code());
              if (p.field() != null) {
                json.writeStringField("field", p.field());
              }
            });
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(p.status()), body);
    HttpHeaders headers = response.headers();
    headers.add("content-type", ProblemResponses.PROBLEM_JSON.toString());
    if (retryAfter > 0) {
      headers.add("Retry-After", Integer.toString(retryAfter));
    }
    headers.add("date", now());
    securityHeaders(headers);
    headers.add("content-length", body.readableBytes());
    return response;
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /** A JSON object with the given fields, written into {@code body}. */
  private static ByteBuf json(ByteBuf body, Fields fields) {
    try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(body))) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException(e);
    }
    return body;
  }

  /** The headers {@code SecurityHeadersFilter} puts on every answer, in its order. */
  private static void securityHeaders(HttpHeaders headers) {
    headers.add("X-Content-Type-Options", "nosniff");
    headers.add("X-Frame-Options", "DENY");
    headers.add("Referrer-Policy", "no-referrer");
  }

  private static String now() {
    long second = System.currentTimeMillis() / 1000;
    DateHeader current = date;
    if (current.second() != second) {
      current = new DateHeader(second, DATE.format(Instant.ofEpochSecond(second)));
      date = current;
    }
    return current.text();
  }

  /**
   * Records one answered request in {@code http.server.requests} with Micronaut's tags: the route
   * ({@code uri}), {@code method}, {@code status} and the simple name of the failure ({@code
   * exception}, {@code none} on success).
   */
  void record(String route, int status, Throwable error, long startNanos) {
    TimerKey key =
        new TimerKey(route, status, error == null ? "none" : error.getClass().getSimpleName());
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder(REQUESTS_TIMER)
                    .tag("exception", k.exception())
                    .tag("method", "POST")
                    .tag("status", Integer.toString(k.status()))
                    .tag("uri", k.route())
                    .register(meters))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The tags of one {@code http.server.requests} timer: a route of two, a status and an exception
   * class name, so the few that occur are looked up in the registry once, not per request.
   */
  private record TimerKey(String route, int status, String exception) {}
}
