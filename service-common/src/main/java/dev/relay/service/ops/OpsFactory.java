package dev.relay.service.ops;

import dev.relay.service.config.EnvConfig;
import dev.relay.service.logging.InstanceId;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the identity reported by {@code /info} and the readiness probe over all checks. */
@Factory
public class OpsFactory {

  @Singleton
  ServiceIdentity serviceIdentity(
      EnvConfig config, @Value("${relay.service.name:relay}") String name) {
    String version = OpsFactory.class.getPackage().getImplementationVersion();
    return new ServiceIdentity(
        name,
        config.get("RELAY_VERSION").orElse(version == null ? "unknown" : version),
        config.get("RELAY_COMMIT").orElse("unknown"),
        InstanceId.current(),
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
  }

  @Singleton
  ReadinessProbe readinessProbe(List<ReadinessCheck> checks) {
    return new ReadinessProbe(checks, Duration.ofSeconds(1));
  }
}
