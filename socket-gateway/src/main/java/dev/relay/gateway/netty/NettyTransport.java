package dev.relay.gateway.netty;

import dev.relay.gateway.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** {@link Transport} over a Netty WebSocket channel. */
final class NettyTransport implements Transport {

  private final Channel channel;
  private final String clientIp;
  private volatile long lastSeenMillis = System.currentTimeMillis();
  private boolean closing;

  NettyTransport(Channel channel, String clientIp) {
    this.channel = channel;
    this.clientIp = clientIp;
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
    if (!closing && channel.isActive()) {
      channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8)));
    }
  }

  @Override
  public void sendText(String text) {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean isWritable() {
    return channel.isWritable();
  }

  @Override
  public void close(int code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    if (channel.isActive()) {
      channel
          .writeAndFlush(new CloseWebSocketFrame(code, reason))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    channel
        .eventLoop()
        .schedule(
            () -> {
              if (channel.isActive()) {
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
              if (!closing && channel.isActive()) {
                channel.writeAndFlush(new PingWebSocketFrame());
              }
            });
  }

  /** Drops a peer that stopped answering, without a close handshake. */
  void abort() {
    channel.close();
  }
}
