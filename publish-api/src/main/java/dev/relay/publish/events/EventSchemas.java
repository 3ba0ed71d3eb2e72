package dev.relay.publish.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The schemas of known event types (SPEC §3), as publish-api needs them. Thread-safe. */
public interface EventSchemas {

  boolean isKnown(String type);

  /**
   * Problems of {@code payload} against the latest schema version of a known {@code type}; empty
   * when valid. Each message starts with the field path, e.g. {@code payload.issueKey is required}.
   */
  List<String> validate(String type, JsonNode payload);

  /** No known types: every type is accepted unvalidated (outside strict mode). */
  static EventSchemas none() {
    return new EventSchemas() {
      @Override
      public boolean isKnown(String type) {
        return false;
      }

      @Override
      public List<String> validate(String type, JsonNode payload) {
        return List.of();
      }
    };
  }
}
