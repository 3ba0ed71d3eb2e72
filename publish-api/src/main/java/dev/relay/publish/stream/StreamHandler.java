package dev.relay.publish.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.ErrorCodes;
import dev.relay.publish.auth.PublishAuthenticator;
import dev.relay.publish.events.Publisher;
import dev.relay.service.http.ProblemException;
import dev.relay.service.intake.IntakeRoutes;
import dev.relay.service.intake.LastAnswer;
import dev.relay.service.intake.Refusal;
import dev.relay.service.net.ClientAddress;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code POST /v1/events:stream} (SPEC §12) on Micronaut's Netty server, placed after the
 * intake's body limit (which has already refused, before the body, requests without a valid bearer
 * key or with a {@code Content-Length} over 16 MiB, and cuts a longer chunked body off with 413).
 * Every other request goes on to Micronaut unchanged.
 *
 * <p>For a stream it checks the bearer key (a signature is refused: it covers the whole body, which
 * is known only at the end, while lines must be delivered as they arrive) and the content type
 * ({@code application/x-ndjson}, else 415 before the body is read), then cuts the body into lines
 * as chunks arrive and hands them to an {@link EventStream}, which appends them in order. Reading
 * is on demand: the connection reads the next chunk only while fewer than {@link
 * StreamSettings#maxQueuedBytes()} received bytes wait for their append, so a client that sends
 * faster than the store takes is slowed by TCP, never buffered without bound.
 *
 * <p>The answer comes when the body has ended and every line is done: {@code 200
 * {"accepted":N,"rejected":[{"line":i,"code":…,"detail":…}]}}, plus {@code "code":"idle_timeout"}
 * or {@code "stream_timeout"} when the stream was ended by its idle or total deadline (lines after
 * that point are not read). Every answer closes the connection. One instance per connection;
 * everything runs on its event loop.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter
    implements LineSplitter.Lines, EventStream.Listener {

  static final String PATH = "/v1/events:stream";
  static final String IDLE_TIMEOUT = "idle_timeout";
  static final String STREAM_TIMEOUT = "stream_timeout";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] NO_BODY = new byte[0];

  private enum State {
    /** No stream on this connection yet: requests go to Micronaut. */
    PASS,
    STREAMING,
    /** Deadline passed or body ended: waiting for the last appends, reading nothing more. */
    ENDING,
    /** Answered: whatever still arrives is discarded until the connection closes. */
    DONE
  }

  private final StreamSettings settings;
  private final Publisher publisher;
  private final PublishAuthenticator authenticator;
  private final ClientAddress clientAddress;

  private State state = State.PASS;
  private ChannelHandlerContext ctx;
  private EventStream stream;
  private LineSplitter splitter;
  private String endCode;
  private boolean paused;
  private long lastLineNanos;
  private ScheduledFuture<?> idleTimer;
  private ScheduledFuture<?> totalTimer;

  StreamHandler(
      StreamSettings settings,
      Publisher publisher,
      PublishAuthenticator authenticator,
      ClientAddress clientAddress) {
    this.settings = settings;
    this.publisher = publisher;
    this.authenticator = authenticator;
    this.clientAddress = clientAddress;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.PASS) {
      if (!(msg instanceof HttpRequest request) || !isStream(request)) {
        ctx.fireChannelRead(msg);
        return;
      }
      start(ctx, request);
    }
    try {
      if (state == State.STREAMING && msg instanceof HttpContent content) {
        splitter.feed(content.content());
        if (content instanceof LastHttpContent && state == State.STREAMING) {
          splitter.finish();
          end(null);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.PASS) {
      ctx.fireChannelReadComplete();
    } else if (state == State.STREAMING
        && stream.queuedBytes() + splitter.pendingBytes() >= settings.maxQueuedBytes()) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimers();
    if (state == State.STREAMING || state == State.ENDING) {
      state = State.DONE; // queued lines still get appended: they arrived complete
    }
    ctx.fireChannelInactive();
  }

  static boolean isStream(HttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())) {
      return false;
    }
    String path = IntakeRoutes.pathOf(request.uri());
    return path.equals(PATH) || path.equals(PATH + "/");
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    this.ctx = ctx;
    if (!authenticator.authenticate(
        request.headers().get(HttpHeaderNames.AUTHORIZATION), null, NO_BODY)) {
      refuse(
          new Refusal(
              401,
              ErrorCodes.UNAUTHORIZED,
              "send Authorization: Bearer <key>; a stream cannot be signed with X-Relay-Signature"),
          0);
      return;
    }
    if (!isNdjson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
      refuse(
          new Refusal(
              415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/x-ndjson"),
          0);
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    String peer = ClientAddress.peerIp(ctx.channel().remoteAddress());
    stream =
        new EventStream(
            publisher,
            peer == null
                ? null
                : clientAddress.resolve(peer, request.headers().get("X-Forwarded-For")),
            request.headers().get("traceparent"),
            ctx.executor(),
            this);
    splitter = new LineSplitter(settings.maxLineBytes(), this);
    state = State.STREAMING;
    lastLineNanos = System.nanoTime();
    idleTimer = schedule(this::checkIdle, settings.idleTimeout().toNanos());
    totalTimer = schedule(() -> end(STREAM_TIMEOUT), settings.maxDuration().toNanos());
    // Reading is ours now (Micronaut reads on demand and never saw this request): on while fewer
    // than maxQueuedBytes wait, off past it until the appends catch up.
    ctx.channel().config().setAutoRead(true);
  }

  static boolean isNdjson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon));
    return type.strip().toLowerCase(Locale.ROOT).equals("application/x-ndjson");
  }

  @Override
  public void line(int number, byte[] bytes) {
    lastLineNanos = System.nanoTime();
    stream.line(number, bytes);
  }

  @Override
  public void tooLong(int number) {
    stream.refuse(number, publisher.refuseLine(settings.maxLineBytes()));
  }

  @Override
  public void drained() {
    if (state == State.ENDING) {
      answer();
    } else if (state == State.STREAMING && paused) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void refused(ProblemException problem) {
    if (state == State.STREAMING || state == State.ENDING) {
      refuse(
          new Refusal(problem.status(), problem.code(), problem.getMessage()),
          problem.retryAfterSeconds());
    }
  }

  private void checkIdle() {
    long idle = System.nanoTime() - lastLineNanos;
    long timeout = settings.idleTimeout().toNanos();
    if (state != State.STREAMING) {
      return;
    }
    if (idle >= timeout) {
      end(IDLE_TIMEOUT);
    } else {
      idleTimer = schedule(this::checkIdle, timeout - idle);
    }
  }

  /** The body ended ({@code code} null) or a deadline passed: answer once the lines are done. */
  private void end(String code) {
    if (state != State.STREAMING) {
      return;
    }
    cancelTimers();
    endCode = code;
    state = State.ENDING;
    ctx.channel().config().setAutoRead(false); // nothing after the end is read
    if (stream.idle()) {
      answer();
    }
  }

  private void answer() {
    state = State.DONE;
    ObjectNode body = JSON.createObjectNode();
    body.put("accepted", stream.accepted());
    ArrayNode rejected = body.putArray("rejected");
    for (EventStream.Rejection r : stream.rejected()) {
      ObjectNode one = rejected.addObject().put("line", r.line()).put("code", r.code());
      if (r.detail() != null) {
        one.put("detail", r.detail());
      }
    }
    if (endCode != null) {
      body.put("code", endCode);
    }
    byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    send(response);
  }

  private void refuse(Refusal refusal, int retryAfterSeconds) {
    state = State.DONE;
    cancelTimers();
    if (stream != null) {
      stream.stop();
    }
    FullHttpResponse response = refusal.response();
    if (retryAfterSeconds > 0) {
      response.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    send(response);
  }

  private void send(FullHttpResponse response) {
    if (!ctx.channel().isActive()) {
      response.release();
      return;
    }
    ctx.channel().config().setAutoRead(true); // drain what the client still sends, then close
    LastAnswer.send(ctx, response);
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancelTimers() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
    }
    if (totalTimer != null) {
      totalTimer.cancel(false);
    }
  }
}
