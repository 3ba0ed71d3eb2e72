package dev.relay.service.engine;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.netty.channel.EventLoopGroup;
import jakarta.inject.Singleton;

/**
 * The event loops of the process's HTTP server (Micronaut's default group), which the Redis client
 * shares ({@link StoresFactory#storeConnections}). No such bean where the Netty server is not
 * packaged (publish-api on AWS Lambda): Lettuce then keeps its own I/O threads.
 *
 * @param group the loops; their owner (Micronaut) stops them after the beans that use them
 */
public record ServerLoops(EventLoopGroup group) {

  /** A factory of its own, so that nothing else names the Netty server's classes. */
  @Factory
  @Requires(classes = EventLoopGroupRegistry.class)
  static class FromMicronaut {

    @Singleton
    ServerLoops serverLoops(EventLoopGroupRegistry registry) {
      return new ServerLoops(registry.getDefaultEventLoopGroup());
    }
  }
}
