package dev.relay.gateway.netty;

import dev.relay.contracts.ErrorCodes;
import dev.relay.gateway.auth.OriginPolicy;
import dev.relay.gateway.transport.ConnectionAttempts;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.LogText;
import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import dev.relay.service.intake.RequestDeadline;
import dev.relay.service.net.ClientAddress;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in Micronaut's HTTP pipeline right after the HTTP codec. A WebSocket upgrade request for one
 * of the gateway's paths is taken over here: the {@code Origin} is checked, Micronaut's handlers
 * are removed from this connection, the handshake is answered, and the connection continues with a
 * {@link WebSocketFrameHandler}. Every other request goes on to Micronaut unchanged.
 *
 * <p>Why not Micronaut's {@code @ServerWebSocket}: it keeps the whole upgrade request and route
 * match alive per connection (about 3 KB), which the per-connection memory target cannot afford
 * (docs/architecture.md).
 */
@ChannelHandler.Sharable
public final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeHandler.class);
  public static final String NAME = "relay-websocket-upgrade";

  /** Creates the protocol side of a new connection on one path. */
  public interface Endpoint {
    /**
     * Called on the connection's event loop once the handshake is done.
     *
     * @param token the token from {@code ?token=} or {@code Authorization: Bearer}, or null
     */
    FrameListener open(Transport transport, String token, HttpRequest request);
  }

  private final Map<String, Endpoint> endpoints;
  private final OriginPolicy origins;
  private final Heartbeats heartbeats;
  private final int maxFrameBytes;
  private final BooleanSupplier accepting;
  private final ClientAddress clientAddress;
  private final OutboundBudget budget;
  private final ConnectionAttempts attempts;

  /**
   * @param accepting false while the gateway drains: new upgrades are answered 503
   * @param budget every upgraded connection's outbound byte budget
   * @param attempts the per-IP limit on connection attempts; an upgrade over it is answered 429
   */
  public WebSocketUpgradeHandler(
      Map<String, Endpoint> endpoints,
      OriginPolicy origins,
      Heartbeats heartbeats,
      int maxFrameBytes,
      BooleanSupplier accepting,
      ClientAddress clientAddress,
      OutboundBudget budget,
      ConnectionAttempts attempts) {
    this.accepting = accepting;
    this.clientAddress = clientAddress;
    this.budget = budget;
    this.attempts = attempts;
    this.endpoints = Map.copyOf(endpoints);
    this.origins = origins;
    this.heartbeats = heartbeats;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Set on a connection whose upgrade this handler took over: the rest of that request is not
   * Micronaut's.
   */
  private static final AttributeKey<Boolean> REFUSED =
      AttributeKey.valueOf("relay-upgrade-refused");

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpContent && Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request && isWebSocketUpgrade(request)) {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      Endpoint endpoint = endpoints.get(stripSlash(uri.path()));
      if (endpoint != null) {
        ReferenceCountUtil.release(msg);
        upgrade(ctx, request, uri, endpoint);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void upgrade(
      ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder uri, Endpoint endpoint) {
    Channel channel = ctx.channel();
    if (!accepting.getAsBoolean()) {
      reject(channel, HttpResponseStatus.SERVICE_UNAVAILABLE, "server going away", 0);
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!origins.allows(origin)) {
      LOG.info("refused WebSocket from origin {}", LogText.cut(origin));
      reject(channel, HttpResponseStatus.FORBIDDEN, "origin not allowed", 0);
      return;
    }
    String clientIp =
        clientAddress.resolve(peerIp(channel), request.headers().get("X-Forwarded-For"));
    // Upgrading a polling session (sid) continues an attempt its handshake already counted.
    boolean counted = !uri.parameters().containsKey("sid");
    // The rest of this request (its empty last content) is ours while the attempt is checked.
    channel.attr(REFUSED).set(Boolean.TRUE);
    CompletionStage<Long> attempt =
        counted ? attempts.attempt(clientIp) : CompletableFuture.completedFuture(0L);
    attempt.whenComplete(
        (retryAfter, failure) ->
            channel
                .eventLoop()
                .execute(() -> afterAttempt(ctx, request, uri, endpoint, clientIp, retryAfter)));
  }

  /** {@code retryAfter} is null when the limit could not be checked. */
  private void afterAttempt(
      ChannelHandlerContext ctx,
      HttpRequest request,
      QueryStringDecoder uri,
      Endpoint endpoint,
      String clientIp,
      Long retryAfter) {
    Channel channel = ctx.channel();
    if (retryAfter == null) {
      reject(channel, HttpResponseStatus.SERVICE_UNAVAILABLE, "try again", 1);
    } else if (retryAfter > 0) {
      reject(channel, HttpResponseStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED, retryAfter);
    } else if (!accepting.getAsBoolean()) {
      reject(channel, HttpResponseStatus.SERVICE_UNAVAILABLE, "server going away", 0);
    } else {
      handshake(ctx, request, uri, endpoint, clientIp);
    }
  }

  private void handshake(
      ChannelHandlerContext ctx,
      HttpRequest request,
      QueryStringDecoder uri,
      Endpoint endpoint,
      String clientIp) {
    Channel channel = ctx.channel();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(wsUrl(request, uri), null, false, maxFrameBytes)
            .newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    removeHandlersAfter(ctx.pipeline(), ctx.name());
    RequestDeadline.release(ctx.pipeline()); // frames are not HTTP requests: no request deadline
    // Connections from one address share its text (#17, idle heap per connection).
    NettyTransport transport =
        new NettyTransport(
            channel,
            clientIp == null ? null : clientIp.intern(),
            budget,
            NettyTransport.Wire.WEBSOCKET);
    String token = token(request, uri);
    // The request's (empty) last content was already taken while the attempt was checked: hand
    // the handshaker a complete request, or it would wait to aggregate one.
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            request.protocolVersion(),
            request.method(),
            request.uri(),
            Unpooled.EMPTY_BUFFER,
            request.headers(),
            EmptyHttpHeaders.INSTANCE);
    handshaker
        .handshake(channel, full)
        .addListener(
            (ChannelFutureListener)
                done -> {
                  if (!done.isSuccess()) {
                    channel.close();
                    return;
                  }
                  FrameListener listener = endpoint.open(transport, token, request);
                  ChannelPipeline p = channel.pipeline();
                  p.addLast("relay-ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes));
                  p.addLast(
                      "relay-ws-frames",
                      new WebSocketFrameHandler(transport, listener, heartbeats));
                  heartbeats.add(transport);
                  HttpLeftovers.drop(channel, REFUSED);
                  channel.config().setAutoRead(true);
                });
    ctx.pipeline().remove(this);
  }

  private static void removeHandlersAfter(ChannelPipeline pipeline, String name) {
    List<String> names = pipeline.names();
    List<String> after = new ArrayList<>(names.subList(names.indexOf(name) + 1, names.size()));
    for (String handler : after) {
      if (pipeline.get(handler) != null && !handler.startsWith("DefaultChannelPipeline$Tail")) {
        pipeline.remove(handler);
      }
    }
    if (pipeline.get("idle-state") != null) {
      pipeline.remove("idle-state");
    }
  }

  private static String peerIp(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress()
        : null;
  }

  private static boolean isWebSocketUpgrade(HttpRequest request) {
    return request
        .headers()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private static String token(HttpRequest request, QueryStringDecoder uri) {
    List<String> fromQuery = uri.parameters().get("token");
    if (fromQuery != null && !fromQuery.isEmpty()) {
      return fromQuery.get(0);
    }
    String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return null;
  }

  private static String wsUrl(HttpRequest request, QueryStringDecoder uri) {
    return "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static void reject(
      Channel channel, HttpResponseStatus status, String message, long retryAfterSeconds) {
    channel.attr(REFUSED).set(Boolean.TRUE);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (retryAfterSeconds > 0) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
