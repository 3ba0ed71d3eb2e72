package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services serve on Netty's native epoll transport where the platform has it (Linux), and on
 * NIO elsewhere (#17: fewer system calls and no selected-key set per wake-up).
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
}
