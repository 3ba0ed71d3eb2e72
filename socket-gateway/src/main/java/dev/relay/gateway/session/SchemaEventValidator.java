package dev.relay.gateway.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.contracts.schema.EventSchemaRegistry;
import java.util.List;

/**
 * Validates client-published payloads against the event contracts, like publish-api does: known
 * types against their latest schema, unknown types accepted unless {@code strict}.
 */
public final class SchemaEventValidator implements ClientEventValidator {

  private final EventSchemaRegistry registry;
  private final boolean strict;

  public SchemaEventValidator(EventSchemaRegistry registry, boolean strict) {
    this.registry = registry;
    this.strict = strict;
  }

  @Override
  public List<String> validate(String type, ObjectNode payload) {
    if (!registry.isKnown(type)) {
      return strict ? List.of("unknown event type " + type) : List.of();
    }
    return registry.validate(type, registry.latestVersion(type), payload);
  }
}
