package dev.relay.engine.redis;

import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce's I/O on the event loops of the process's HTTP server instead of a thread of its own
 * (#17, docs/perf-tests/README.md, "fifth session"). On a small machine a hand-off between two
 * threads costs a wake-up on each side, and a publish crossed three of them (the request's loop to
 * Lettuce's thread, Redis's answer back to it, the answer back to the loop); on one loop a publish
 * is written to Redis from the thread that read the request, and Redis's answer is read and
 * answered on it. The gateway's feed runs there too ({@link #feedExecutor}), so an event read from
 * Redis reaches the connections' loop without a hand-off.
 *
 * <p>The loops stay their owner's: Lettuce never shuts them down ({@link #release} and {@link
 * #shutdown} do nothing), so whoever created them stops them after the Redis connections are
 * closed. Nothing on these loops may block waiting for Redis: its answer is read by the same
 * threads.
 */
final class SharedIoLoops implements EventLoopGroupProvider {

  private final EventLoopGroup loops;

  private SharedIoLoops(EventLoopGroup loops) {
    this.loops = loops;
  }

  /**
   * A provider over {@code loops} when Lettuce's channels can register on them (the same transport:
   * epoll loops for Lettuce's epoll channels, NIO loops for its NIO channels), else empty: then
   * Lettuce keeps its own threads.
   */
  static Optional<SharedIoLoops> over(EventLoopGroup loops) {
    if (!(loops instanceof IoEventLoopGroup io)) {
      return Optional.empty();
    }
    Class<? extends IoHandler> needed = handlerFor(Transports.socketChannelClass());
    return needed != null && io.isIoType(needed)
        ? Optional.of(new SharedIoLoops(loops))
        : Optional.empty();
  }

  /**
   * The loop type {@code channel} registers with: Netty's NIO or epoll (named, not imported: the
   * engine does not depend on the native transport, which the services bring).
   */
  private static Class<? extends IoHandler> handlerFor(Class<?> channel) {
    if (channel == NioSocketChannel.class) {
      return NioIoHandler.class;
    }
    if (channel.getName().equals("io.netty.channel.epoll.EpollSocketChannel")) {
      try {
        return Class.forName(
                "io.netty.channel.epoll.EpollIoHandler", false, channel.getClassLoader())
            .asSubclass(IoHandler.class);
      } catch (ClassNotFoundException | ClassCastException e) {
        return null;
      }
    }
    return null;
  }

  /** One of the loops, for a feed to confine its state to (see {@link #feedExecutor}). */
  ScheduledExecutorService feedExecutor() {
    return loops.next();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends EventLoopGroup> T allocate(Class<T> type) {
    return (T) loops;
  }

  @Override
  public int threadPoolSize() {
    int n = 0;
    for (var ignored : loops) {
      n++;
    }
    return n;
  }

  @Override
  public Future<Boolean> release(
      EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
  }

  @Override
  public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
  }
}
