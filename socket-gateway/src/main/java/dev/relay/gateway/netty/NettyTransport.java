package dev.relay.gateway.netty;

import dev.relay.gateway.transport.OutboundBudget;
import dev.relay.gateway.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over a Netty channel: a WebSocket, or an HTTP response streamed in chunks
 * (SSE), as its {@link Wire} says. Every outbound frame (text, pong, ping, close) goes through
 * {@link #fits}: the bytes Netty holds for the socket plus the frame must stay within the {@link
 * OutboundBudget}, else the connection is closed with 1013. Confined to the channel's event loop,
 * except {@link #touched}/{@link #lastSeenMillis} (any thread) and {@link #ping}/{@link #abort}
 * (which hop onto the loop).
 */
final class NettyTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

  /** How text and the close travel on the channel. */
  enum Wire {
    /** WebSocket text frames (see {@link SharedFrames}) and a close frame. */
    WEBSOCKET,
    /** Chunks of a streamed HTTP response, ended by the last chunk. */
    HTTP_CHUNKS;

    /** A frame header (WebSocket ≤ 14 bytes, chunk size line ≤ 10): empty writes are not free. */
    private static final int OVERHEAD = 14;

    Object text(byte[] utf8) {
      return this == WEBSOCKET
          ? new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8))
          : new DefaultHttpContent(Unpooled.wrappedBuffer(utf8));
    }

    Object close(int code, String reason) {
      return this == WEBSOCKET
          ? new CloseWebSocketFrame(code, reason)
          : LastHttpContent.EMPTY_LAST_CONTENT;
    }
  }

  /** Memory a queued frame holds beyond its bytes (buffer size class, entry, promise). */
  private static final long FRAME_HOLDING = 256;

  private final Channel channel;
  private final String clientIp;
  private final OutboundBudget budget;
  private final Wire wire;
  private volatile long lastSeenMillis = System.currentTimeMillis();
  private boolean closing;

  /** 0 until the first text frame, then 1 if frames are written as shared raw buffers, else -1. */
  private byte sharesFrames;

  NettyTransport(Channel channel, String clientIp, OutboundBudget budget, Wire wire) {
    this.channel = channel;
    this.clientIp = clientIp;
    this.budget = budget;
    this.wire = wire;
  }

  @Override
  public String clientIp() {
    return clientIp;
  }

  @Override
  public Executor executor() {
    return channel.eventLoop();
  }

  @Override
  public void sendText(byte[] utf8) {
    if (!closing && channel.isActive() && fits(utf8.length)) {
      // The loop's cache only on the loop: a stray caller's thread would hold a frame forever.
      channel.writeAndFlush(
          sharesFrames() && channel.eventLoop().inEventLoop()
              ? SharedFrames.onThisLoop().frame(utf8, channel.alloc())
              : wire.text(utf8));
    }
  }

  /**
   * True when this connection writes text as the loop's {@link SharedFrames}: a WebSocket whose
   * pipeline lets a raw frame through. Decided at the first text frame, after the handshake has
   * settled the pipeline (a connection is handed to its protocol only then), and kept: nothing
   * changes the pipeline of an upgraded connection afterwards.
   */
  private boolean sharesFrames() {
    if (sharesFrames == 0) {
      sharesFrames =
          wire == Wire.WEBSOCKET && SharedFrames.suits(channel.pipeline()) ? (byte) 1 : -1;
      if (sharesFrames < 0 && wire == Wire.WEBSOCKET) {
        LOG.debug(
            "websocket {} writes frame objects: {}", channel.id(), channel.pipeline().names());
      }
    }
    return sharesFrames > 0;
  }

  @Override
  public void sendText(String text) {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Answers a client's ping, within the budget; takes ownership of {@code data}. The payload is
   * copied: a ping's content is a slice of a read buffer, and a queued pong holding that slice
   * would pin the whole buffer, far more memory than the budget counts.
   */
  void pong(ByteBuf data) {
    try {
      if (!closing && channel.isActive() && fits(data.readableBytes())) {
        ByteBuf copy = channel.alloc().directBuffer(data.readableBytes()).writeBytes(data);
        channel.writeAndFlush(new PongWebSocketFrame(copy));
      }
    } finally {
      data.release();
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    // Nothing the peer sends from now on is handled, and it cannot keep us busy.
    channel.config().setAutoRead(false);
    if (!channel.isActive()) {
      return;
    }
    channel.writeAndFlush(wire.close(code, reason)).addListener(ChannelFutureListener.CLOSE);
    // A peer that does not read never lets the close frame out: drop it after the grace period.
    channel
        .eventLoop()
        .schedule(
            () -> {
              channel.close();
            },
            OutboundBudget.CLOSE_GRACE.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  boolean isClosing() {
    return closing;
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    channel
        .eventLoop()
        .schedule(
            () -> {
              if (channel.isActive() && !closing) {
                task.run();
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Any frame from the peer shows it is alive. */
  void touched() {
    lastSeenMillis = System.currentTimeMillis();
  }

  long lastSeenMillis() {
    return lastSeenMillis;
  }

  /** Sends a WebSocket ping; browsers answer with a pong automatically. */
  void ping() {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!closing && channel.isActive() && fits(0)) {
                channel.writeAndFlush(new PingWebSocketFrame());
              }
            });
  }

  /** Drops a peer that stopped answering, without a close handshake. */
  void abort() {
    channel.close();
  }

  /**
   * True when {@code payloadBytes} more fit the budget; otherwise closes the connection with 1013
   * (once) and answers false.
   */
  private boolean fits(int payloadBytes) {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    // What a queued frame really holds is more than its bytes: its pooled buffer's size class and
    // Netty's bookkeeping. Counting that per frame keeps a flood of tiny frames (pongs) within
    // the budget in memory, not only in payload bytes.
    long queued =
        buffer == null ? 0 : buffer.totalPendingWriteBytes() + buffer.size() * FRAME_HOLDING;
    if (budget.admits(queued, (long) payloadBytes + Wire.OVERHEAD + FRAME_HOLDING)) {
      return true;
    }
    budget.overflowed(describe(), queued);
    close(OutboundBudget.OVERFLOW_CLOSE_CODE, "slow consumer");
    return false;
  }

  private String describe() {
    return (wire == Wire.WEBSOCKET ? "websocket " : "stream ") + channel.id().asShortText();
  }
}
