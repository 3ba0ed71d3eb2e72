package dev.relay.gateway.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PoolChunkListMetric;
import io.netty.buffer.PoolChunkMetric;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * How much of the gateway's direct memory is Netty's buffer pool, and how much of that is in use:
 * {@code relay_netty_direct_pool_bytes} (chunks the pool holds, in use or free for reuse) and
 * {@code relay_netty_direct_active_bytes} (bytes of buffers in use right now). The JVM's direct
 * memory ({@code jvm_buffer_memory_used_bytes{id="direct"}}) includes the pool's free capacity,
 * which grows in whole chunks and is shared by every connection; these two tell an operator whether
 * direct memory is held by traffic or only reserved (docs/observability.md).
 */
@Context
@Requires(property = "relay.gateway.enabled", notEquals = "false")
public class NettyMemoryMetrics {

  public NettyMemoryMetrics(MeterRegistry meters) {
    if (ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pooled) {
      Gauge.builder("relay.netty.direct.pool.bytes", pooled, a -> a.metric().usedDirectMemory())
          .description("direct memory held by Netty's buffer pool, in use or free for reuse")
          .baseUnit("bytes")
          .register(meters);
      Gauge.builder("relay.netty.direct.active.bytes", pooled, NettyMemoryMetrics::activeBytes)
          .description("direct memory of Netty's pooled buffers in use now")
          .baseUnit("bytes")
          .register(meters);
    }
  }

  /** The used part of every chunk (a chunk's free bytes are the pool's reserve). */
  private static double activeBytes(PooledByteBufAllocator allocator) {
    long active = 0;
    for (PoolArenaMetric arena : allocator.metric().directArenas()) {
      for (PoolChunkListMetric list : arena.chunkLists()) {
        for (PoolChunkMetric chunk : list) {
          active += chunk.chunkSize() - chunk.freeBytes();
        }
      }
    }
    return active;
  }
}
