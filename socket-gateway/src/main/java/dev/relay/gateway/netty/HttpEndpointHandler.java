package dev.relay.gateway.netty;

import dev.relay.gateway.transport.HttpEndpoint;
import dev.relay.gateway.transport.HttpExchange;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import dev.relay.service.intake.RequestDeadline;
import dev.relay.service.net.ClientAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Sits after the {@link WebSocketUpgradeHandler} in every HTTP/1.1 connection and takes plain
 * (non-upgrade) requests for the gateway's HTTP endpoints ({@code /socket.io/} long-polling) away
 * from Micronaut: it reads the body (at most {@code maxBodyBytes}, else 413 and close), hands an
 * {@link HttpExchange} to the endpoint, and writes its answer. Every other request goes on to
 * Micronaut unchanged. One instance per connection; runs on the connection's event loop.
 */
public final class HttpEndpointHandler extends ChannelInboundHandlerAdapter {

  public static final String NAME = "relay-http-endpoints";

  private final Map<String, HttpEndpoint> endpoints;
  private final int maxBodyBytes;
  private final OutboundBudget budget;
  private Reading reading;
  private Exchange inFlight;
  private boolean discarding;

  private final ClientAddress clientAddress;

  private static String peerIp(Channel channel) {
    return channel.remoteAddress() instanceof java.net.InetSocketAddress address
        ? address.getAddress().getHostAddress()
        : null;
  }

  public HttpEndpointHandler(
      Map<String, HttpEndpoint> endpoints,
      int maxBodyBytes,
      ClientAddress clientAddress,
      OutboundBudget budget) {
    this.endpoints = endpoints;
    this.maxBodyBytes = maxBodyBytes;
    this.budget = budget;
    this.clientAddress = clientAddress;
  }

  private record Reading(
      HttpRequest request, QueryStringDecoder uri, HttpEndpoint endpoint, ByteBuf body) {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      HttpEndpoint endpoint = endpoints.get(stripSlash(uri.path()));
      if (endpoint == null) {
        discarding = false;
        ctx.fireChannelRead(msg);
        return;
      }
      reading = new Reading(request, uri, endpoint, Unpooled.buffer(0));
      discarding = false;
    }
    if (reading == null) {
      if (discarding && msg instanceof HttpContent) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
      return;
    }
    try {
      if (msg instanceof HttpContent content) {
        if (reading.body().readableBytes() + content.content().readableBytes() > maxBodyBytes) {
          reading.body().release();
          reading = null;
          discarding = true;
          fail(ctx.channel(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
          return;
        }
        reading.body().writeBytes(content.content());
        if (msg instanceof LastHttpContent) {
          Reading done = reading;
          reading = null;
          String body = done.body().toString(StandardCharsets.UTF_8);
          done.body().release();
          inFlight =
              new Exchange(
                  budget,
                  ctx.channel(),
                  done.request(),
                  done.uri(),
                  body,
                  clientAddress.resolve(
                      peerIp(ctx.channel()), done.request().headers().get("X-Forwarded-For")));
          done.endpoint().handle(inFlight);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
      if (!ctx.channel().config().isAutoRead()) {
        ctx.read();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (reading != null) {
      reading.body().release();
      reading = null;
    }
    if (inFlight != null) {
      inFlight.aborted();
    }
    ctx.fireChannelInactive();
  }

  private static void fail(Channel channel, HttpResponseStatus status) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** One request being answered; confined to the channel's event loop. */
  private static final class Exchange implements HttpExchange {
    private final OutboundBudget budget;
    private final Channel channel;
    private final HttpRequest request;
    private final QueryStringDecoder uri;
    private final String body;
    private final String clientIp;
    private final List<Runnable> onAbort = new ArrayList<>(1);
    private boolean answered;

    Exchange(
        OutboundBudget budget,
        Channel channel,
        HttpRequest request,
        QueryStringDecoder uri,
        String body,
        String clientIp) {
      this.budget = budget;
      this.channel = channel;
      this.request = request;
      this.uri = uri;
      this.body = body;
      this.clientIp = clientIp;
    }

    @Override
    public String clientIp() {
      return clientIp;
    }

    @Override
    public String method() {
      return request.method().name();
    }

    @Override
    public String query(String name) {
      List<String> values = uri.parameters().get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String header(String name) {
      return request.headers().get(name);
    }

    @Override
    public String body() {
      return body;
    }

    @Override
    public ScheduledExecutorService executor() {
      return channel.eventLoop();
    }

    @Override
    public void respond(int status, Map<String, String> headers, String text) {
      if (!channel.eventLoop().inEventLoop()) {
        channel.eventLoop().execute(() -> respond(status, headers, text));
        return;
      }
      if (answered) {
        return;
      }
      answered = true;
      if (!channel.isActive()) {
        return;
      }
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(status),
              Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      headers.forEach((k, v) -> response.headers().set(k, v));
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(request) && status < 400;
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      var written = channel.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public Transport stream(Map<String, String> headers, Runnable onClosed) {
      answered = true;
      ChannelPipeline pipeline = channel.pipeline();
      // A stream is answered for as long as it lives: no idle or request timer may cut it.
      if (pipeline.get("idle-state") != null) {
        pipeline.remove("idle-state");
      }
      RequestDeadline.release(pipeline);
      HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      headers.forEach((k, v) -> response.headers().set(k, v));
      HttpUtil.setTransferEncodingChunked(response, true);
      channel.writeAndFlush(response);
      channel.closeFuture().addListener(done -> onClosed.run());
      return new NettyTransport(channel, clientIp, budget, NettyTransport.Wire.HTTP_CHUNKS);
    }

    @Override
    public boolean isOpen() {
      return !answered && channel.isActive();
    }

    @Override
    public void onAbort(Runnable task) {
      onAbort.add(task);
    }

    void aborted() {
      if (!answered) {
        answered = true;
        onAbort.forEach(Runnable::run);
      }
    }
  }
}
