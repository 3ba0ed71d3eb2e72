package dev.relay.publish.http;

import dev.relay.engine.Appended;
import dev.relay.publish.events.PublishRequest;
import dev.relay.publish.events.Publisher;
import dev.relay.service.intake.IntakeRoutes;
import dev.relay.service.net.ClientAddress;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Answers {@code POST /v1/events} and {@code POST /events} (SPEC §2) on Micronaut's Netty server
 * without Micronaut's routing, filters, binding and serialization (CPU per request, #17), with the
 * answers {@link PublishController#publish} gives (see {@link FastPublishAnswers}). It sits after
 * the intake's body limit, which has already answered 401 to headers without plausible credentials
 * and 413 to a {@code Content-Length} over the single-event limit, and which cuts a longer chunked
 * body off with 413 and closes the connection (this handler then never sees the end of that body).
 *
 * <p>It takes only plain requests (see {@link #takes}); everything else, and every request that
 * arrives while Micronaut still owes an answer on the connection, goes on to Micronaut unchanged,
 * which answers it as before (405 for other methods, 406, CORS refusals, HTTP/1.0...). A taken
 * request's body is gathered, handed to {@link Publisher#publish} with the trace id of {@link
 * TraceIdFilter} in the MDC, and answered once the publish completes. Requests pipelined behind it
 * are held, unread by anyone, until that answer is written, so answers keep request order. No read
 * is asked of the socket while a publish is under way, so what a connection holds is bounded by the
 * one socket read that carried the request; a client that keeps sending meets TCP back-pressure
 * ({@code FastPublishBackPressureTest}). The connection stays open (HTTP/1.1 keep-alive) unless the
 * request asked {@code Connection: close}: then the answer says so and the connection closes after
 * it.
 *
 * <p>One instance per connection; its state is confined to the connection's event loop (a publish
 * completing on another thread hands its answer over to the event loop).
 */
final class FastPublishHandler extends ChannelDuplexHandler {

  private enum State {
    /** Between taken requests: messages go on to Micronaut. */
    IDLE,
    /** Gathering a taken request's body. */
    BODY,
    /** The publish is under way: everything read meanwhile is held. */
    WAITING,
    /** The connection is closing or closed: everything read is dropped. */
    CLOSED
  }

  private final Function<PublishRequest, CompletionStage<Appended>> publisher;
  private final ClientAddress clientAddress;
  private final FastPublishAnswers answers;

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private State state = State.IDLE;
  private int micronautOwes;
  private boolean micronautResponding;
  private boolean forwarded;
  private HttpRequest request;
  private String route;
  private CompositeByteBuf body;
  private long startNanos;

  /**
   * @param publisher {@link Publisher#publish}: a request to the engine's answer
   */
  FastPublishHandler(
      Function<PublishRequest, CompletionStage<Appended>> publisher,
      ClientAddress clientAddress,
      FastPublishAnswers answers) {
    this.publisher = publisher;
    this.clientAddress = clientAddress;
    this.answers = answers;
  }

  /**
   * The route ({@code /v1/events} or {@code /events}) of a request this handler answers itself,
   * else null. It answers a well-formed HTTP/1.1 {@code POST} to {@code /v1/events} or {@code
   * /events} (a trailing slash and a query string allowed, as Micronaut's routing does), without
   * {@code Origin} (CORS stays Micronaut's), {@code Content-Encoding} or {@code Upgrade}, and whose
   * {@code Accept} (if any) allows {@code application/json}. A request on a connection where
   * Micronaut still owes an answer is never taken (see {@link #channelRead}).
   */
  static String takes(HttpRequest request) {
    if (!HttpMethod.POST.equals(request.method())
        || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())
        || request.decoderResult().isFailure()) {
      return null;
    }
    String path = IntakeRoutes.pathOf(request.uri());
    String route =
        switch (path) {
          case "/v1/events", "/v1/events/" -> "/v1/events";
          case "/events", "/events/" -> "/events";
          default -> null;
        };
    HttpHeaders headers = request.headers();
    if (route == null
        || headers.contains(HttpHeaderNames.ORIGIN)
        || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
        || headers.contains(HttpHeaderNames.UPGRADE)
        || !acceptsJson(headers.get(HttpHeaderNames.ACCEPT))) {
      return null;
    }
    return route;
  }

  /**
   * True when {@code Accept} is absent or names {@code application/json} or a wildcard of it,
   * without weights.
   */
  static boolean acceptsJson(String accept) {
    if (accept == null) {
      return true;
    }
    if (accept.contains("q=")) {
      return false; // weights (q=0 refuses a type) are left to Micronaut
    }
    for (String range : accept.split(",")) {
      int semicolon = range.indexOf(';');
      String type =
          (semicolon < 0 ? range : range.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
      if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (state) {
      case CLOSED -> ReferenceCountUtil.release(msg);
      case WAITING -> held.add(msg);
      case BODY -> gather(ctx, msg);
      case IDLE -> {
        String taken = msg instanceof HttpRequest r && micronautOwes == 0 ? takes(r) : null;
        if (taken == null) {
          if (msg instanceof HttpRequest) {
            micronautOwes++;
          }
          forwarded = true;
          ctx.fireChannelRead(msg);
          return;
        }
        start(ctx, (HttpRequest) msg, taken);
        gather(ctx, msg);
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.BODY) {
      ctx.read(); // Micronaut reads on demand and does not know this request wants its body
    }
    if (forwarded || state == State.IDLE) {
      forwarded = false;
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // Only Micronaut's answers pass here (this handler writes its own from its context).
    if (msg instanceof HttpResponse response
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      micronautResponding = true;
    }
    if (msg instanceof LastHttpContent && micronautResponding) {
      micronautResponding = false;
      micronautOwes = Math.max(0, micronautOwes - 1);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    close();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    close();
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request, String route) {
    this.request = request;
    this.route = route;
    this.startNanos = System.nanoTime();
    this.body = ctx.alloc().compositeBuffer();
    state = State.BODY;
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  private void gather(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpContent content)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      ctx.close(); // a broken chunk: no answer can be trusted to be read
      close();
      return;
    }
    body.addComponent(true, content.content());
    if (content instanceof LastHttpContent) {
      state = State.WAITING;
      publish(ctx);
    }
  }

  private void publish(ChannelHandlerContext ctx) {
    byte[] bytes = ByteBufUtil.getBytes(body);
    body.release();
    body = null;
    HttpHeaders headers = request.headers();
    String traceId = TraceIdFilter.traceIdOf(headers.get(PublishController.TRACEPARENT));
    String peer = ClientAddress.peerIp(ctx.channel().remoteAddress());
    PublishRequest publish =
        PublishController.toPublishRequest(bytes, headers::get, peer, clientAddress);
    String previous = MDC.get(TraceIdFilter.MDC_KEY);
    MDC.put(TraceIdFilter.MDC_KEY, traceId);
    try {
      publisher
          .apply(publish)
          .whenComplete(
              (appended, error) -> {
                FullHttpResponse response = null;
                Throwable failure = error;
                if (failure == null) {
                  try {
                    PublishController.logPublished(traceId, appended);
                    response = answers.accepted(ctx.alloc(), appended);
                  } catch (RuntimeException e) {
                    failure = e;
                  }
                }
                if (response == null) {
                  try (MDC.MDCCloseable ignored =
                      MDC.putCloseable(TraceIdFilter.MDC_KEY, traceId)) {
                    response = answers.failed(ctx.alloc(), failure, "POST", route);
                  }
                }
                answers.record(route, response.status().code(), failure, startNanos);
                FullHttpResponse answer = response;
                if (ctx.executor().inEventLoop()) {
                  answer(ctx, answer);
                } else {
                  ctx.executor().execute(() -> answer(ctx, answer));
                }
              });
    } catch (RuntimeException e) {
      FullHttpResponse response = answers.failed(ctx.alloc(), e, "POST", route);
      answers.record(route, response.status().code(), e, startNanos);
      answer(ctx, response);
    } finally {
      if (previous == null) {
        MDC.remove(TraceIdFilter.MDC_KEY);
      } else {
        MDC.put(TraceIdFilter.MDC_KEY, previous);
      }
    }
  }

  /** Writes the answer, then reads on: held messages first, then the connection. */
  private void answer(ChannelHandlerContext ctx, FullHttpResponse response) {
    if (state != State.WAITING || !ctx.channel().isActive()) {
      response.release();
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    request = null;
    if (!keepAlive) {
      response.headers().add("connection", "close");
      close();
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(response);
    state = State.IDLE;
    while (!held.isEmpty() && (state == State.IDLE || state == State.BODY)) {
      channelRead(ctx, held.poll());
    }
    if (state != State.WAITING) {
      ctx.read();
    }
    if (state == State.IDLE && forwarded) {
      forwarded = false;
      ctx.fireChannelReadComplete();
    }
  }

  /** Drops whatever is gathered or held; nothing more is answered on this connection. */
  private void close() {
    state = State.CLOSED;
    if (body != null) {
      body.release();
      body = null;
    }
    Object msg;
    while ((msg = held.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }
}
