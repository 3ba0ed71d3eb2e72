package dev.relay.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Consumer;

/** Native epoll where available (Linux), NIO elsewhere. */
public final class Transports {

  private Transports() {}

  /** An event loop group of {@code threads} daemon threads named {@code name-N}. */
  public static EventLoopGroup group(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return Epoll.isAvailable()
        ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * A client bootstrap on {@code group}: TCP_NODELAY, a connect timeout, and {@code pipeline}
   * installing the handlers of each new channel.
   */
  public static Bootstrap client(
      EventLoopGroup group, int connectTimeoutMillis, Consumer<ChannelPipeline> pipeline) {
    return new Bootstrap()
        .group(group)
        .channel(socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                pipeline.accept(ch.pipeline());
              }
            });
  }

  public static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
    return socketChannel(group);
  }
}
