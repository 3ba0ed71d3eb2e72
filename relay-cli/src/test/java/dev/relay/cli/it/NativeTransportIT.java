package dev.relay.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.engine.redis.RedisConnections;
import dev.relay.testkit.TestRedis;
import io.micronaut.context.ApplicationContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.EventExecutor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The services serve on Netty's native epoll transport where the platform has it (Linux), and on
 * NIO elsewhere (#17: fewer system calls and no selected-key set per wake-up), with one server
 * event loop per two cores unless the operator gives a number; their Redis I/O shares those loops.
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

  /**
   * Each service's Redis client does its I/O on the server's event loops, and the gateway's feed
   * runs there too (#17: no hand-off between threads per publish or per event).
   */
  @Test
  void redisIoAndTheFeedRunOnTheServersEventLoops() throws Exception {
    ApplicationContext publishApi = Services.publishApi(TestRedis.url());
    ApplicationContext gateway = Services.gateway(TestRedis.url());
    try {
      for (ApplicationContext service : List.of(publishApi, gateway)) {
        RedisConnections redis = service.getBean(RedisConnections.class);
        assertThat(redis.sharesLoops()).isTrue();
        Set<Thread> serverLoops = threadsOf(service.getBean(EventLoopGroup.class));
        // BLPOP on an empty list answers after its timeout: surely after the callback is attached.
        Thread answeredOn =
            redis
                .call(
                    "blpop",
                    c -> c.blpop(0.1, "relay-it:empty").thenApply(none -> Thread.currentThread()))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(serverLoops).contains(answeredOn);
        assertThat(redis.feedExecutor()).isPresent();
        Thread feedRunsOn =
            redis
                .feedExecutor()
                .orElseThrow()
                .submit(Thread::currentThread)
                .get(5, TimeUnit.SECONDS);
        assertThat(serverLoops).contains(feedRunsOn);
      }
    } finally {
      Services.closeAll(gateway, publishApi);
    }
  }

  private static Set<Thread> threadsOf(EventLoopGroup group) throws Exception {
    Set<Thread> threads = new HashSet<>();
    for (EventExecutor loop : group) {
      threads.add(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
    }
    return threads;
  }

  private static int loops(EventLoopGroup group) {
    int n = 0;
    for (var ignored : group) {
      n++;
    }
    return n;
  }
}
