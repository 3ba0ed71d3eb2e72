package dev.relay.bench.client;

import dev.relay.bench.stats.DeliveryLedger;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;

/**
 * One bench connection after the WebSocket handshake: speaks just enough of its {@link Protocol} to
 * become ready, answers Engine.IO pings, and hands every event's sequence number (parsed from the
 * nonce {@code <runTag>-<seq>}) to its {@link DeliveryLedger.Receiver}. Frames are matched by
 * substring, not parsed as JSON, to keep the generator's CPU share small. Confined to its channel's
 * event loop.
 */
final class BenchSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {

  private final Protocol protocol;
  private final String token;
  private final String nonceMarker;
  private final DeliveryLedger.Receiver receiver;
  private final ConnectionListener listener;
  private final long startNanos;
  private boolean ready;
  private boolean settled;

  /** Told once per connection: ready, or failed with a short reason; later, dropped. */
  interface ConnectionListener {
    void ready(long connectNanos);

    void failed(String reason);

    void dropped();
  }

  BenchSocket(
      Protocol protocol,
      String token,
      String runTag,
      DeliveryLedger.Receiver receiver,
      ConnectionListener listener,
      long startNanos) {
    super(true);
    this.protocol = protocol;
    this.token = token;
    this.nonceMarker = "\"nonce\":\"" + runTag + "-";
    this.receiver = receiver;
    this.listener = listener;
    this.startNanos = startNanos;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      fail(ctx, "handshake timeout");
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    String text = frame.text();
    long now = System.nanoTime();
    int marker = text.indexOf(nonceMarker);
    if (marker >= 0) {
      receiver.received(parseSeq(text, marker + nonceMarker.length()), now);
      return;
    }
    if (protocol == Protocol.JSON) {
      if (text.contains("\"type\":\"welcome\"")) {
        ready(now);
      } else if (!ready && text.contains("\"type\":\"error\"")) {
        fail(ctx, text);
      }
      return;
    }
    if (text.equals("2")) {
      ctx.writeAndFlush(new TextWebSocketFrame("3"));
    } else if (text.startsWith("0{")) {
      ctx.writeAndFlush(new TextWebSocketFrame("40{\"token\":\"" + token + "\"}"));
    } else if (text.startsWith("40")) {
      ready(now);
    } else if (text.startsWith("44")) {
      fail(ctx, text);
    }
  }

  static long parseSeq(String text, int from) {
    long value = 0;
    int i = from;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      value = value * 10 + (text.charAt(i) - '0');
      i++;
    }
    return i == from ? -1 : value;
  }

  private void ready(long now) {
    if (!settled) {
      settled = true;
      ready = true;
      listener.ready(now - startNanos);
    }
  }

  private void fail(ChannelHandlerContext ctx, String reason) {
    if (!settled) {
      settled = true;
      listener.failed(reason.length() > 80 ? reason.substring(0, 80) : reason);
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ready) {
      listener.dropped();
    } else {
      fail(ctx, "closed before ready");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
