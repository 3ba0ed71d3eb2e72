package dev.relay.service.intake;

import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * SPEC §10 request deadline ({@code RELAY_REQUEST_TIMEOUT}): receiving one HTTP request, headers
 * and body, must complete within the timeout, else it is answered 408 {@code request_timeout} and
 * the connection is closed. Sits in front of the HTTP codec, so a partial request line counts.
 *
 * <p>The clock starts at the first byte read while no request is in progress and stops when the
 * codec has decoded the request's last content (seen by the {@link End} handler, which this handler
 * puts right after the codec). So the time the server takes to answer (a long-poll GET held open)
 * is never limited, and nor is an idle keep-alive connection between requests (Micronaut's idle
 * timeout closes those). A connection that leaves HTTP (a WebSocket upgrade) must call {@link
 * #release} so its frames are not limited either.
 *
 * <p>If an answer to the late request was already started (e.g. a 404 sent before the body
 * arrived), the connection is only closed, so no second answer is ever written. One instance per
 * connection; every method runs on the connection's event loop.
 */
public final class RequestDeadline extends ChannelInboundHandlerAdapter {

  public static final String NAME = "relay-request-deadline";
  static final String END_NAME = "relay-request-end";

  private final long timeoutNanos;
  private final ClientFaults faults;
  private ScheduledFuture<?> timer;
  private boolean endInstalled;
  private String method;
  private String uri;

  /** Set while the body of the current request is exempt (a streamed route); reset at its end. */
  private boolean bodyExempt;

  /** Set once the current request has a response under way or done; reset by the next request. */
  private boolean answered;

  private boolean responseOpen;

  RequestDeadline(Duration timeout, ClientFaults faults) {
    this.timeoutNanos = timeout.toNanos();
    this.faults = faults;
  }

  /**
   * Stops limiting this connection: called when it leaves HTTP (WebSocket upgrade). A no-op on a
   * pipeline without these handlers. Must run on the connection's event loop.
   */
  public static void release(ChannelPipeline pipeline) {
    if (pipeline.get(END_NAME) != null) {
      pipeline.remove(END_NAME);
    }
    if (pipeline.get(NAME) != null) {
      pipeline.remove(NAME);
    }
  }

  /**
   * Stops the clock for the rest of the current request, whose headers have been read: its body is
   * a stream that the route's own handler bounds (SPEC §12 idle and total deadlines). The next
   * request on the connection is limited again. A no-op on a pipeline without this handler. Must
   * run on the connection's event loop.
   */
  public static void exemptBody(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) instanceof RequestDeadline deadline) {
      deadline.cancel();
      deadline.bodyExempt = true;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!endInstalled) {
      endInstalled = true;
      if (ctx.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
        ctx.pipeline()
            .addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, END_NAME, new End());
      }
    }
    if (timer == null && !bodyExempt && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    faults.report(
        ctx.channel(),
        "request_timeout",
        "request not received within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms",
        method,
        uri);
    ctx.channel().config().setAutoRead(false);
    if (answered || responseOpen) {
      ctx.close();
      return;
    }
    Refusal refusal = Refusal.timeout(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)));
    ctx.writeAndFlush(refusal.bytes(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Right after the HTTP codec: stops the clock when a request has been read completely and notes
   * answers, so an expired request is never answered twice.
   */
  final class End extends ChannelDuplexHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        method = request.method().name();
        uri = request.uri();
        answered = false;
      }
      if (msg instanceof LastHttpContent) {
        cancel();
        bodyExempt = false;
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response
          && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
        answered = true;
        responseOpen = !(msg instanceof LastHttpContent);
      } else if (msg instanceof LastHttpContent) {
        responseOpen = false;
      }
      ctx.write(msg, promise);
    }
  }
}
