package dev.relay.bench.client;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;

/**
 * Opens one bench WebSocket: TCP_NODELAY, 15 s connect and handshake timeouts, frames up to 1 MiB
 * aggregated, no Origin header; {@code handler} gets the text frames after the handshake.
 */
public final class WebSocketDialer {

  private WebSocketDialer() {}

  public static ChannelFuture dial(EventLoopGroup group, URI uri, ChannelHandler handler) {
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .customHeaders(new DefaultHttpHeaders())
            .maxFramePayloadLength(1 << 20)
            .handshakeTimeoutMillis(15_000)
            .generateOriginHeader(false)
            .build();
    return Transports.client(
            group,
            15_000,
            pipeline ->
                pipeline.addLast(
                    new HttpClientCodec(),
                    new HttpObjectAggregator(16 * 1024),
                    new WebSocketClientProtocolHandler(config),
                    new WebSocketFrameAggregator(1 << 20),
                    handler))
        .connect(uri.getHost(), Protocol.port(uri));
  }
}
