package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.NettyRuntime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services serve on Netty's native epoll transport where the platform has it (Linux), and on
 * NIO elsewhere (#17: fewer system calls and no selected-key set per wake-up), with one server
 * event loop per two cores unless the operator gives a number.
 */
class NativeTransportIT {

  @Test
  void servicesServeOnEpollWhereAvailable() {
    try (ApplicationContext dev = Services.devMode("native-transport", Map.of())) {
      assertThat(Http.get(Services.uri(dev).resolve("/healthz"), null).statusCode()).isEqualTo(200);
      IoEventLoop loop = (IoEventLoop) dev.getBean(EventLoopGroup.class).next();
      assertThat(loop.isIoType(Epoll.isAvailable() ? EpollIoHandler.class : NioIoHandler.class))
          .as("event loop I/O type (epoll available: %s)", Epoll.isAvailable())
          .isTrue();
    }
  }

  @Test
  void oneServerEventLoopPerTwoCoresUnlessGiven() {
    int expected = Math.max(1, Math.round(NettyRuntime.availableProcessors() * 0.5f));
    try (ApplicationContext dev = Services.devMode("event-loops", Map.of())) {
      assertThat(loops(dev.getBean(EventLoopGroup.class))).isEqualTo(expected);
    }
    try (ApplicationContext dev =
        Services.devMode(
            "event-loops-given", Map.of("micronaut.netty.event-loops.default.num-threads", 3))) {
      assertThat(loops(dev.getBean(EventLoopGroup.class))).isEqualTo(3);
    }
  }

  private static int loops(EventLoopGroup group) {
    int n = 0;
    for (var ignored : group) {
      n++;
    }
    return n;
  }
}
