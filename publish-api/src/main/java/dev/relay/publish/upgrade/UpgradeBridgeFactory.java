package dev.relay.publish.upgrade;

import dev.relay.engine.EventLog;
import dev.relay.engine.redis.RedisConnections;
import dev.relay.engine.redis.RedisEngineSettings;
import dev.relay.engine.upgrade.LegacyMirror;
import dev.relay.engine.upgrade.PartitionBridge;
import dev.relay.engine.upgrade.PartitionLayout;
import dev.relay.service.engine.EngineSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While upgrading from the partitioned layout ({@code RELAY_UPGRADE_PARTITIONS}, docs/upgrade.md),
 * every publish-api runs a {@link PartitionBridge}: it copies what processes of the previous
 * release append to their partition streams into the rooms' own streams, so the new gateways
 * deliver it. Several bridges never store an event twice (each copy carries a nonce derived from
 * the old id). Not in the Lambda (no Netty server there): a bridge is a long-running reader.
 */
@Factory
@Requires(property = "relay.upgrade.partitions", pattern = "[1-9][0-9]*")
@Requires(classes = NettyServerCustomizer.class)
public class UpgradeBridgeFactory {

  private static final Logger LOG = LoggerFactory.getLogger(UpgradeBridgeFactory.class);

  @Context
  @Bean(preDestroy = "close")
  PartitionBridge partitionBridge(
      EventLog eventLog, RedisConnections redis, EngineSettings settings, MeterRegistry meters) {
    if (!(eventLog instanceof LegacyMirror mirror)) {
      throw new IllegalStateException("upgrade mode needs the Redis engine");
    }
    PartitionBridge bridge =
        new PartitionBridge(
            mirror.rooms(),
            redis,
            settings.redisUrl(),
            settings.cluster(),
            new PartitionLayout(settings.upgradePartitions()),
            RedisEngineSettings.defaults().commandTimeout());
    FunctionCounter.builder("relay_upgrade_bridge_copied", bridge, PartitionBridge::copied)
        .description("events of the previous release copied into their rooms by this bridge")
        .register(meters);
    FunctionCounter.builder(
            "relay_upgrade_bridge_trimmed_before_copy", bridge, PartitionBridge::trimmedBeforeCopy)
        .description("partition entries that may have been trimmed before any bridge copied them")
        .register(meters);
    FunctionCounter.builder("relay_upgrade_bridge_failures", bridge, PartitionBridge::failures)
        .description("failed reads or appends of the bridge (retried)")
        .register(meters);
    try {
      // Positions first, so that whatever the previous release appends once this service is up
      // gets copied; a Redis that is down is not waited for (the bridge keeps trying).
      bridge.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("upgrade bridge not started yet, retrying in the background: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return bridge;
  }
}
