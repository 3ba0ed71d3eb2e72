package dev.relay.gateway.netty;

import dev.relay.gateway.session.CloseCodes;
import dev.relay.gateway.transport.FrameListener;
import dev.relay.gateway.transport.LogText;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upgraded connection: turns WebSocket frames into calls on the protocol
 * connection and answers control frames. Runs on the channel's event loop.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrameHandler.class);

  private final NettyTransport transport;
  private final FrameListener listener;
  private final Heartbeats heartbeats;

  WebSocketFrameHandler(NettyTransport transport, FrameListener listener, Heartbeats heartbeats) {
    this.transport = transport;
    this.listener = listener;
    this.heartbeats = heartbeats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (transport.isClosing()) {
        return; // the server decided to close: nothing more from this peer is handled
      }
      transport.touched();
      if (msg instanceof TextWebSocketFrame text) {
        listener.onText(text.text());
      } else if (msg instanceof BinaryWebSocketFrame) {
        listener.onBinary();
      } else if (msg instanceof PingWebSocketFrame ping) {
        transport.pong(ping.content().retain());
      } else if (msg instanceof CloseWebSocketFrame close) {
        int code = close.statusCode();
        transport.close(code >= 1000 && code != 1005 && code != 1006 ? code : 1000, "");
      } else if (!(msg instanceof PongWebSocketFrame)) {
        LOG.trace("ignored {}", msg.getClass().getSimpleName());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    heartbeats.remove(transport);
    listener.onClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException
        || cause instanceof CorruptedWebSocketFrameException) {
      LOG.debug("closing connection on bad frame: {}", cause.getMessage());
      transport.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    } else {
      LOG.info("closing connection after error: {}", LogText.cut(cause.toString()));
      ctx.close();
    }
  }
}
