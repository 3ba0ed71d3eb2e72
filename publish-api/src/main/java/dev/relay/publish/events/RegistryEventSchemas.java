package dev.relay.publish.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.contracts.schema.EventSchemaRegistry;
import java.util.List;

/**
 * {@link EventSchemas} backed by the shared JSON Schema registry, at each type's latest version.
 */
public final class RegistryEventSchemas implements EventSchemas {

  private final EventSchemaRegistry registry;

  public RegistryEventSchemas(EventSchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public boolean isKnown(String type) {
    return registry.isKnown(type);
  }

  @Override
  public List<String> validate(String type, JsonNode payload) {
    return registry.validate(type, registry.latestVersion(type), payload);
  }
}
