package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.gateway.server.GatewayMain;
import dev.relay.publish.PublishApiMain;
import io.micronaut.context.ApplicationContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.NettyRuntime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services serve on Netty's native epoll transport where the platform has it (Linux), and on
 * NIO elsewhere (#17: fewer system calls and no selected-key set per wake-up); the gateway with one
 * server event loop per two cores unless the operator gives a number, publish-api with one per
 * core.
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
  void theGatewayServesOnOneEventLoopPerTwoCoresUnlessGiven() {
    int expected = Math.max(1, Math.round(NettyRuntime.availableProcessors() * 0.5f));
    try (ApplicationContext gateway = Services.devMode("loops", GatewayMain.ROLE.properties())) {
      assertThat(loops(gateway.getBean(EventLoopGroup.class))).isEqualTo(expected);
    }
    Map<String, Object> given = new HashMap<>(GatewayMain.ROLE.properties());
    given.put("micronaut.netty.event-loops.default.num-threads", 3);
    try (ApplicationContext gateway = Services.devMode("loops-given", given)) {
      assertThat(loops(gateway.getBean(EventLoopGroup.class))).isEqualTo(3);
    }
  }

  @Test
  void publishApiServesOnOneEventLoopPerCore() {
    try (ApplicationContext publish = Services.devMode("loops", PublishApiMain.ROLE.properties())) {
      assertThat(loops(publish.getBean(EventLoopGroup.class)))
          .isEqualTo(NettyRuntime.availableProcessors());
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
